import type { SandboxStore } from '../store/store';
import type { CleverUser, Role } from '../store/store-types';
import { escapeHtml, page } from './html';

const ROLE_TITLES: [Role, string][] = [
  ['student', 'Students'],
  ['teacher', 'Teachers'],
  ['staff', 'Staff'],
  ['district_admin', 'District admins'],
  ['contact', 'Contacts (guardians)'],
];
const PER_ROLE = 50;

export function errorPage(title: string, message: string): string {
  return page(
    title,
    `<h1>${escapeHtml(title)}</h1><div class="error" role="alert"><p>${escapeHtml(message)}</p></div>
<p class="meta">Clever sandbox — this page stands in for Clever's own error screen.</p>`,
  );
}

export function districtPickerPage(store: SandboxStore, linkFor: (districtId: string) => string): string {
  const items = store
    .districts()
    .map(
      (d) =>
        `<li><a href="${escapeHtml(linkFor(d.id))}">${escapeHtml(d.name)}</a> <span class="meta">${d.id}</span></li>`,
    )
    .join('');
  return page(
    'Log in with Clever (sandbox)',
    `<h1>Log in with Clever</h1><h2>Choose your district</h2><ul>${items}</ul>`,
  );
}

function displayName(user: CleverUser): string {
  const n = user.name;
  return [n.first, n.middle, n.last].filter(Boolean).join(' ') || user.id;
}

function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
}

export interface PickerLinks {
  signIn(userId: string): string;
  portal(userId: string): string;
  searchAction: string;
  hidden: Record<string, string>;
}

/** The sign-in picker: the district's users grouped by role, with a plain GET search form. */
export function userPickerPage(
  store: SandboxStore,
  districtId: string,
  q: string,
  links: PickerLinks,
): string {
  const district = store.getDistrict(districtId)!;
  const needle = fold(q.trim());
  const sections = ROLE_TITLES.map(([role, title]) => {
    const users = store
      .listUsers({ district: districtId, role })
      .filter((u) => !needle || fold(`${displayName(u)} ${u.email ?? ''} ${u.id}`).includes(needle));
    const rows = users.slice(0, PER_ROLE).map(
      (u) => `<li><a href="${escapeHtml(links.signIn(u.id))}">${escapeHtml(displayName(u))}</a>
 <span class="meta">${escapeHtml(u.email ?? '(no email)')} · ${u.id}</span>
 · <a href="${escapeHtml(links.portal(u.id))}" aria-label="Launch from the Clever portal as ${escapeHtml(displayName(u))}">launch from the Clever portal</a></li>`,
    );
    const more =
      users.length > PER_ROLE
        ? `<p class="meta">${users.length - PER_ROLE} more — refine the search.</p>`
        : '';
    return `<section aria-labelledby="h-${role}"><h2 id="h-${role}">${title} (${users.length})</h2>${
      rows.length > 0 ? `<ul>${rows.join('')}</ul>` : '<p class="meta">None.</p>'
    }${more}</section>`;
  }).join('');
  const hidden = Object.entries(links.hidden)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('');
  return page(
    `Log in with Clever — ${district.name}`,
    `<h1>Log in with Clever</h1><p>${escapeHtml(district.name)} <span class="meta">(Clever sandbox)</span></p>
<form method="get" action="${escapeHtml(links.searchAction)}" role="search">${hidden}
<label for="q">Search users</label> <input id="q" name="q" type="search" value="${escapeHtml(q)}">
<button type="submit">Search</button></form>${sections}`,
  );
}

export function confirmPage(user: CleverUser, continueUrl: string): string {
  return page(
    'Is this you?',
    `<h1>Is this you?</h1><p>You are about to sign in as <strong>${escapeHtml(displayName(user))}</strong>.</p>
<p><a href="${escapeHtml(continueUrl)}">Yes, continue</a></p>`,
  );
}
