import type { CleverSchool, CleverTerm } from '../store/store-types';
import type { DatasetBuilder } from './builder';

// Schools, terms and courses of "Sandbox ISD" (see sandbox-isd.ts).

export const ADDRESS = { address: '110 Shore Road', city: 'Brooklyn', state: 'NY', zip: '11201' };
const RB_PRINCIPAL = { name: 'Cecilia Roderick', email: 'c.roderick@sandbox-isd.example.org' };
export const DOMAIN = 'sandbox-isd.example.org';

export function schools(b: DatasetBuilder, d: string) {
  const base = (
    name: string,
    sis: string,
    low: string,
    high: string,
    charter = 'N',
  ): Omit<CleverSchool, 'id' | 'district' | 'created' | 'last_modified'> => ({
    name,
    sis_id: sis,
    school_number: sis,
    state_id: `30${sis.slice(-3)}`,
    low_grade: low,
    high_grade: high,
    phone: '(718) 555-4567',
    principal: { name: 'Jordan Blake', email: `j.blake@${DOMAIN}` },
    location: { ...ADDRESS, address: `${sis.slice(-3)} Pineapple Street` },
    ext: { charter_school: charter },
  });
  const maple = b.school(d, base('Maple Elementary School', '13K101', 'Kindergarten', '5'));
  // NOTE: near-duplicate schools sharing address, principal and phone (clever-api.md §7.3 item 14).
  const rb = b.school(d, {
    ...base('Rockaway Beach Middle School', '13K201', '6', '8'),
    principal: RB_PRINCIPAL,
    location: ADDRESS,
  });
  const rb2 = b.school(d, {
    ...base('Rockaway Beach Middle School Campus 2', '13K202', '6', '8'),
    principal: RB_PRINCIPAL,
    location: ADDRESS,
  });
  const harbor = b.school(d, { ...base('Harbor High School', '13K301', '9', '12'), nces_id: '360007702877' });
  // A charter school marked only through ext, with the optional fields left out.
  const charter = b.school(d, {
    name: 'Lighthouse Charter Academy',
    sis_id: '84X',
    school_number: '84X',
    ext: { charter_school: 'Y' },
  });
  return { maple, rb, rb2, harbor, charter };
}

export function terms(b: DatasetBuilder, d: string): CleverTerm[] {
  // NOTE: term names repeat across years ("Y1" twice; clever-api.md §7.3 item 15).
  return [
    b.term(d, { name: 'Y1', start_date: '2024-08-01', end_date: '2025-06-15' }),
    b.term(d, { name: 'Y1', start_date: '2025-08-01', end_date: '2026-06-15' }),
    b.term(d, { name: 'Fall Semester', start_date: '2025-08-01', end_date: '2025-12-19' }),
  ];
}

export const COURSES: [string, string, string][] = [
  ['Class 001, Homeroom', '1', 'homeroom/advisory'],
  ['Mathematics', '101', 'math'],
  ['English Language Arts', '102', 'english/language arts'],
  ['Life Science', '201', 'science'],
  ['Algebra I', '301', 'math'],
  ['Biology', '302', 'science'],
  ['Spanish I', '303', 'language'],
  ['Art & Design', '304', 'arts and music'],
];

export type IsdSchools = ReturnType<typeof schools>;

export function levelOf(s: IsdSchools, school: CleverSchool): 'elementary' | 'middle' | 'high' {
  return school === s.maple || school === s.charter ? 'elementary' : school === s.harbor ? 'high' : 'middle';
}
