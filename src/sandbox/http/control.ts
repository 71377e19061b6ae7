import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { MUTABLE_TYPES } from '../store/store-context';
import { SandboxError } from '../store/store-errors';
import type { SandboxStore } from '../store/store';
import type { CleverEvent } from '../store/store-types';
import { controlPage } from './control-page';
import type { AppOptions } from './options';

// The change-simulation API under /__sandbox/ (JSON, or form posts from the /__sandbox page).
// Same operations as the SandboxStore methods; each answers with the events it wrote.

const MAX_EVENTS_IN_REPLY = 1000;
const blankToUndefined = (v: unknown) => (v === '' ? undefined : v);
const opt = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());
const id = z.string().regex(/^[0-9a-f]{24}$/, 'a 24-hex Clever id');
const recordType = z.enum(MUTABLE_TYPES as [string, ...string[]]);

const schemas = {
  record: z.object({ type: recordType, id }),
  move: z.object({ studentId: id, toSchool: opt(id), fromSection: opt(id), toSection: opt(id) }),
  coTeacher: z.object({ sectionId: id, teacherId: id }),
  rename: z.object({
    type: recordType,
    id,
    name: z.union([
      z.string().min(1),
      z.object({ first: z.string().optional(), middle: z.string().optional(), last: z.string().optional() }),
    ]),
  }),
  email: z.object({ userId: id, email: z.string().nullable().optional(), remove: z.string().optional() }),
  district: z.object({ districtId: id }),
  role: z.object({
    userId: id,
    role: z.enum(['student', 'teacher', 'staff', 'district_admin', 'contact']),
    school: opt(id),
  }),
  shrink: z.object({ districtId: id, fraction: z.coerce.number().gt(0).lte(1) }),
  state: z.object({ districtId: id, state: z.string() }),
  fault: z.object({
    path: z.string().min(1),
    kind: z.enum(['429', '5xx', 'hang', 'truncated', 'malformed', 'loop']),
    status: opt(z.coerce.number().int().min(400).max(599)),
    times: opt(z.coerce.number().int().positive()),
    afterPages: opt(z.coerce.number().int().min(0)),
    resetSeconds: opt(z.coerce.number().int().min(0)),
    retryAfter: opt(z.union([z.boolean(), z.literal('on').transform(() => true)])),
  }),
  user: z.object({
    district: id,
    role: z.enum(['student', 'teacher', 'staff', 'district_admin', 'contact']),
    name: z.object({
      first: z.string().optional(),
      middle: z.string().optional(),
      last: z.string().optional(),
    }),
    email: z.string().optional(),
    school: opt(id),
    sisId: opt(z.string()),
  }),
  section: z.object({
    school: id,
    name: z.string().min(1),
    teacher: id,
    students: z.array(id).optional(),
    term: opt(id),
    course: opt(id),
    subject: opt(z.string()),
  }),
};

export function controlRouter(store: SandboxStore, opts: AppOptions): express.Router {
  const router = express.Router();
  router.use(express.json({ limit: '1mb' }), express.urlencoded({ extended: false }));
  // The control API can reset and reshape the sandbox and reads district tokens: only this machine's own pages
  // and tools may drive it. A Host other than a loopback name is a DNS-rebinding page; an unsafe request needs
  // its own origin: none at all, a sandboxed iframe's `null` or another site's is refused (scripts and curl send
  // `Origin: http://localhost:3001`), and a malformed one is a 400.
  router.use(guardControlRequest);

  const isForm = (req: Request) => Boolean(req.is('application/x-www-form-urlencoded'));
  /** Parses, runs, and answers JSON (or redirects back to the control page after a form post). */
  const action =
    <S extends z.ZodType>(schema: S, run: (input: z.infer<S>) => CleverEvent[] | object) =>
    (req: Request, res: Response) => {
      const parsed = schema.safeParse(req.body ?? {});
      if (!parsed.success) {
        return res.status(400).json({
          message: 'invalid request',
          issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
        });
      }
      const result = run(parsed.data);
      // Mass changes (shrink on Scale USD) write tens of thousands of events: answer a bounded sample.
      const body = Array.isArray(result)
        ? {
            count: result.length,
            events: result.slice(0, MAX_EVENTS_IN_REPLY),
            truncated: result.length > MAX_EVENTS_IN_REPLY,
          }
        : result;
      opts.logger(`control: ${req.path} ${JSON.stringify(parsed.data)}`);
      if (isForm(req)) {
        const count = Array.isArray(result) ? `${result.length} event(s)` : 'done';
        return res.redirect(303, `/__sandbox?done=${encodeURIComponent(`${req.path}: ${count}`)}`);
      }
      res.json(body);
    };

  router.get('/', (req, res) => {
    res
      .type('html')
      .send(
        controlPage(store, opts.clientId, typeof req.query.done === 'string' ? req.query.done : undefined),
      );
  });
  router.get('/personas', (_req, res) => res.json(store.personas));
  router.get('/tokens', (_req, res) => res.json({ data: store.districtTokens() }));
  router.get('/stats', (_req, res) => res.json(store.stats()));
  router.delete('/stats', (_req, res) => {
    store.resetStats();
    res.status(204).end();
  });
  router.get('/faults', (_req, res) => res.json({ data: store.faults.list() }));
  router.post(
    '/faults',
    action(schemas.fault, (f) => ({ fault: store.addFault(f) })),
  );
  router.delete('/faults', (_req, res) => {
    store.clearFaults();
    res.status(204).end();
  });
  router.post(
    '/faults/clear',
    action(z.object({}), () => (store.clearFaults(), { cleared: true })),
  );
  router.post(
    '/reset',
    action(z.object({}), () => (store.reset(), { reset: true })),
  );

  router.post(
    '/unshare',
    action(schemas.record, (b) => store.unshare(b.type as never, b.id)),
  );
  router.post(
    '/reshare',
    action(schemas.record, (b) => store.reshare(b.type as never, b.id)),
  );
  router.post(
    '/delete',
    action(schemas.record, (b) => store.delete(b.type as never, b.id)),
  );
  router.post(
    '/move-student',
    action(schemas.move, ({ studentId, ...move }) => store.moveStudent(studentId, move)),
  );
  router.post(
    '/co-teachers/add',
    action(schemas.coTeacher, (b) => store.addCoTeacher(b.sectionId, b.teacherId)),
  );
  router.post(
    '/co-teachers/remove',
    action(schemas.coTeacher, (b) => store.removeCoTeacher(b.sectionId, b.teacherId)),
  );
  router.post(
    '/rename',
    action(schemas.rename, (b) => store.rename(b.type as never, b.id, b.name)),
  );
  router.post(
    '/set-email',
    action(schemas.email, (b) =>
      store.setEmail(b.userId, b.remove || b.email === null || b.email === undefined ? null : b.email),
    ),
  );
  router.post(
    '/roles/add',
    action(schemas.role, (b) => store.addRole(b.userId, b.role, b.school)),
  );
  router.post(
    '/roles/remove',
    action(schemas.role, (b) => store.removeRole(b.userId, b.role)),
  );
  router.post(
    '/rollover',
    action(schemas.district, (b) => store.rollover(b.districtId)),
  );
  router.post(
    '/end-rollover',
    action(schemas.district, (b) => store.endRollover(b.districtId)),
  );
  router.post(
    '/shrink',
    action(schemas.shrink, (b) => store.shrink(b.districtId, b.fraction)),
  );
  router.post(
    '/district-state',
    action(schemas.state, (b) => store.setDistrictState(b.districtId, b.state)),
  );
  router.post(
    '/users',
    action(schemas.user, (b) => store.createUser(b)),
  );
  router.post(
    '/sections',
    action(schemas.section, (b) => store.createSection(b)),
  );

  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    if (err instanceof SandboxError) return res.status(err.status).json({ message: err.message });
    if ((err as { type?: string }).type === 'entity.parse.failed')
      return res.status(400).json({ message: 'malformed JSON' });
    next(err);
  });
  return router;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function hostName(host: string | undefined): string | null {
  if (!host) return null;
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return null;
  }
}

function guardControlRequest(req: Request, res: Response, next: NextFunction): void {
  const host = hostName(req.headers.host);
  if (!host || !LOOPBACK_HOSTS.has(host)) {
    res.status(403).json({ message: 'the sandbox control API answers only on localhost' });
    return;
  }
  if (req.method === 'GET' || req.method === 'HEAD') return next();
  const origin = req.headers.origin;
  if (origin === undefined) {
    // Browsers send an Origin with every form post and fetch; scripts and curl send the sandbox's own.
    res.status(403).json({
      message: `requests that change the sandbox need its own Origin (e.g. Origin: http://${req.headers.host})`,
    });
    return;
  }
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    if (origin !== 'null') {
      res.status(400).json({ message: 'malformed Origin header' });
      return;
    }
    originHost = '';
  }
  if (origin === 'null' || originHost !== req.headers.host) {
    res.status(403).json({ message: 'cross-origin control requests are refused' });
    return;
  }
  next();
}
