import fs from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import yaml from 'js-yaml';

// Compiles the `definitions` of Clever's Swagger 2.0 files with ajv, adapted as follows:
// - `x-nullable: true` → the value may also be null;
// - objects with `properties` get `additionalProperties: false`, so an extra key (e.g. a v3.1-only
//   field in a v3.0 answer) fails; `ext` objects (no properties) stay open;
// - `format: datetime` (not a JSON Schema format) accepts ISO timestamps and, tolerating Clever's
//   documented conflict for term/pause dates, plain YYYY-MM-DD (https://dev.clever.com/docs/terms);
// - *Response wrappers also allow `uri` (list items) and `links` (single objects); single-object
//   links carry rels beyond the spec's next/prev/self enum (as Clever's live API answers);
// - event definitions (allOf of Event + data) are flattened, and `previous_attributes` is also
//   allowed inside `data`, where real payloads put it (https://dev.clever.com/docs/events-api).

// Clever's published definitions (Clever/swagger-api), vendored so the suite needs nothing outside the repo.
export const SPEC_DIR = path.resolve(__dirname, '../fixtures/clever-spec');

type Schema = Record<string, unknown>;

function adapt(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(adapt);
  if (typeof node !== 'object' || node === null) return node;
  const src = node as Schema;
  const nullable = src['x-nullable'] === true;
  if (typeof src.$ref === 'string') {
    const ref = { $ref: src.$ref };
    return nullable ? { anyOf: [ref, { type: 'null' }] } : ref;
  }
  const out: Schema = {};
  for (const [key, value] of Object.entries(src)) {
    if (key.startsWith('x-') || key === 'discriminator') continue;
    if (key === 'properties') {
      out.properties = Object.fromEntries(Object.entries(value as Schema).map(([k, v]) => [k, adapt(v)]));
    } else out[key] = typeof value === 'object' ? adapt(value) : value;
  }
  if (out.properties && !out.additionalProperties) out.additionalProperties = false;
  if (nullable && typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
  }
  return out;
}

function loadDefinitions(file: string): Record<string, Schema> {
  const doc = yaml.load(fs.readFileSync(path.join(SPEC_DIR, file), 'utf8')) as {
    definitions: Record<string, unknown>;
  };
  const defs = Object.fromEntries(Object.entries(doc.definitions).map(([k, v]) => [k, adapt(v) as Schema]));
  defs.ObjectLink = {
    type: 'object',
    properties: { rel: { type: 'string' }, uri: { type: 'string' } },
    additionalProperties: false,
    required: ['rel', 'uri'],
  };
  for (const [name, def] of Object.entries(defs)) {
    const props = def.properties as Record<string, Schema> | undefined;
    if (!props) continue;
    if (/[^s]Response$/.test(name) || name === 'EventResponse') {
      props.uri = { type: 'string' };
      props.links = { type: 'array', items: { $ref: '#/definitions/ObjectLink' } };
      def.required = ['data'];
    } else if (/sResponse$/.test(name)) {
      def.required = ['data', 'links'];
    }
    if (/Object$/.test(name)) props.previous_attributes = { type: 'object' };
  }
  const eventTypes: string[] = [];
  for (const [name, def] of Object.entries(defs)) {
    if (!Array.isArray(def.allOf)) continue;
    const parts = (def.allOf as Schema[]).map((p) => (p.$ref ? defs[String(p.$ref).split('/').pop()!] : p));
    const properties = Object.assign({}, ...parts.map((p) => p.properties)) as Record<string, Schema>;
    // Stands in for Swagger's `discriminator: type`: each subtype pins its own type name.
    properties.type = { const: name };
    defs[name] = {
      type: 'object',
      properties,
      required: ['id', 'type', 'created', 'data'],
      additionalProperties: false,
    };
    eventTypes.push(name);
  }
  if (defs.EventResponse) {
    (defs.EventResponse.properties as Record<string, Schema>).data = {
      anyOf: eventTypes.map((t) => ({ $ref: `#/definitions/${t}` })),
    };
  }
  return defs;
}

const cache = new Map<string, (definition: string) => ValidateFunction>();

/** validator('v3.0.yml')('UsersResponse') → ajv validate function. */
export function specValidator(file: string): (definition: string) => ValidateFunction {
  const cached = cache.get(file);
  if (cached) return cached;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addFormat('datetime', /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{3})?Z)?$/);
  ajv.addSchema({ $id: file, definitions: loadDefinitions(file) });
  const compiled = new Map<string, ValidateFunction>();
  const get = (definition: string) => {
    let fn = compiled.get(definition);
    if (!fn) {
      fn = ajv.compile({ $ref: `${file}#/definitions/${definition}` });
      compiled.set(definition, fn);
    }
    return fn;
  };
  cache.set(file, get);
  return get;
}

/** Throws with ajv's messages when `body` does not match, so a failing test shows why. */
export function expectValid(file: string, definition: string, body: unknown): void {
  const validate = specValidator(file)(definition);
  if (!validate(body)) {
    const errors = (validate.errors ?? [])
      .slice(0, 8)
      .map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
    throw new Error(`${file} ${definition} mismatch:\n${errors.join('\n')}`);
  }
}
