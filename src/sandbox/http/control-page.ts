import type { SandboxStore } from '../store/store';
import { escapeHtml, page } from './html';

// GET /__sandbox: forms for the main changes (plain form posts to the JSON control API).

const TYPES = ['user', 'section', 'school', 'term', 'course'];

function field(name: string, label: string, placeholder = '', type = 'text'): string {
  const idAttr = `f-${name}-${Math.random().toString(36).slice(2, 7)}`;
  return `<label for="${idAttr}">${escapeHtml(label)}</label><input id="${idAttr}" name="${name}" type="${type}" placeholder="${escapeHtml(placeholder)}">`;
}

function select(name: string, label: string, options: string[]): string {
  const idAttr = `s-${name}-${Math.random().toString(36).slice(2, 7)}`;
  return `<label for="${idAttr}">${escapeHtml(label)}</label><select id="${idAttr}" name="${name}">${options
    .map((o) => `<option>${escapeHtml(o)}</option>`)
    .join('')}</select>`;
}

function form(action: string, legend: string, body: string): string {
  return `<form method="post" action="/__sandbox/${action}"><fieldset><legend>${escapeHtml(legend)}</legend>${body}
<button type="submit">${escapeHtml(legend)}</button></fieldset></form>`;
}

export function controlPage(store: SandboxStore, clientId: string, done?: string): string {
  const districts = store.districts();
  const districtSelect = (name = 'districtId') =>
    `<label>District <select name="${name}">${districts
      .map((d) => `<option value="${d.id}">${escapeHtml(d.name)}</option>`)
      .join('')}</select></label>`;
  const personas = Object.entries(store.personas)
    .map(
      ([k, v]) =>
        `<tr><th scope="row">${escapeHtml(k)}</th><td><code>${escapeHtml(Array.isArray(v) ? v.join(', ') : v)}</code></td></tr>`,
    )
    .join('');
  const tokens = store
    .districtTokens()
    .map(
      (t) =>
        `<li>${escapeHtml(store.getDistrict(t.owner.id)?.name)} (${t.owner.id}): <code>${t.access_token}</code> — state ${escapeHtml(store.getDistrict(t.owner.id)?.state)}</li>`,
    )
    .join('');
  const faults = store.faults
    .list()
    .map(
      (f) =>
        `<li>#${f.id} ${escapeHtml(f.kind)} on <code>${escapeHtml(String(f.path))}</code> (hits ${f.hits})</li>`,
    )
    .join('');
  return page(
    'Clever sandbox control',
    `<h1>Clever sandbox control</h1>
${done ? `<p role="status">Done: ${escapeHtml(done)}</p>` : ''}
<h2>Districts and tokens</h2><ul>${tokens}</ul>
<p><a href="/oauth/authorize?response_type=code&amp;client_id=${encodeURIComponent(clientId)}">Log in with Clever (sign-in picker)</a></p>
<h2>Sharing</h2>
${form('unshare', 'Unshare', select('type', 'Type', TYPES) + field('id', 'Id'))}
${form('reshare', 'Reshare', select('type', 'Type', TYPES) + field('id', 'Id'))}
${form('delete', 'Delete', select('type', 'Type', TYPES) + field('id', 'Id'))}
${form('shrink', 'Shrink', districtSelect() + field('fraction', 'Fraction of students to unshare', '0.2'))}
<h2>Roster changes</h2>
${form('move-student', 'Move student', field('studentId', 'Student') + field('toSchool', 'To school') + field('fromSection', 'From section') + field('toSection', 'To section'))}
${form('co-teachers/add', 'Add co-teacher', field('sectionId', 'Section') + field('teacherId', 'Teacher'))}
${form('co-teachers/remove', 'Remove co-teacher', field('sectionId', 'Section') + field('teacherId', 'Teacher'))}
${form('rename', 'Rename', select('type', 'Type', TYPES) + field('id', 'Id') + field('name', 'New name'))}
${form('set-email', 'Set email', field('userId', 'User') + field('email', 'Email') + '<label><input type="checkbox" name="remove"> remove the email</label>')}
<h2>Rollover</h2>
${form('rollover', 'Start rollover', districtSelect())}
${form('end-rollover', 'End rollover', districtSelect())}
<h2>Faults</h2><ul>${faults || '<li>None</li>'}</ul>
${form('faults', 'Add fault', field('path', 'Path prefix', '/users') + select('kind', 'Kind', ['429', '5xx', 'hang', 'truncated', 'malformed', 'loop']) + field('status', 'Status', '503') + field('times', 'Times', 'forever') + field('afterPages', 'After pages', '0'))}
${form('faults/clear', 'Clear faults', '')}
${form('reset', 'Reset to the seed dataset', '')}
<h2>Personas</h2><table><tbody>${personas}</tbody></table>
<p class="meta">JSON: <a href="/__sandbox/personas">personas</a> · <a href="/__sandbox/stats">stats</a> · <a href="/__sandbox/faults">faults</a></p>`,
  );
}
