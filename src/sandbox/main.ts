// `npm run sandbox`: the Clever sandbox on its own. The only sandbox file that reads process.env.
import { startSandbox } from './sandbox-api';

async function main(): Promise<void> {
  const env = process.env;
  const port = env.SANDBOX_PORT ? Number(env.SANDBOX_PORT) : 3001;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`SANDBOX_PORT: bad port "${env.SANDBOX_PORT}"`);
  const redirectUris = env.SANDBOX_REDIRECT_URIS?.split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  const scaleStudents = env.SANDBOX_SCALE_STUDENTS ? Number(env.SANDBOX_SCALE_STUDENTS) : undefined;
  const scaleKnob = (name: string) => (env[name] ? Number(env[name]) : undefined);
  const scale = scaleStudents
    ? {
        students: scaleStudents,
        teachers: scaleKnob('SANDBOX_SCALE_TEACHERS'),
        sections: scaleKnob('SANDBOX_SCALE_SECTIONS'),
        studentsPerSection: scaleKnob('SANDBOX_SCALE_STUDENTS_PER_SECTION'),
      }
    : undefined;
  const sandbox = await startSandbox({
    port,
    host: env.SANDBOX_HOST || '127.0.0.1',
    seed: env.SANDBOX_SEED || undefined,
    clientId: env.SANDBOX_CLIENT_ID || undefined,
    clientSecret: env.SANDBOX_CLIENT_SECRET || undefined,
    redirectUris: redirectUris && redirectUris.length > 0 ? redirectUris : undefined,
    scale,
    logger: (msg) => console.log(msg),
  });
  console.log(`Clever sandbox: ${sandbox.url}  (control page: ${sandbox.url}/__sandbox)`);
  for (const district of sandbox.store.districts()) {
    console.log(`  ${district.name} ${district.id}  token ${sandbox.store.districtToken(district.id)}`);
  }
  const stop = () => {
    sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
