// Roster searches kept out of URLs: a search names students, and a URL is kept in the browser's history and
// in proxy logs. The filters, and the page cursors (which hold the name of a page's last person), live in the
// session under a short random id; links carry only that id and a page number.
import crypto from 'node:crypto';
import type { Session, SessionData } from 'express-session';

export interface SavedFilters {
  q?: string;
  school?: string;
  term?: string;
  role?: string;
  archived: boolean;
}

interface SavedSearch {
  filters: SavedFilters;
  /** "people:2" -> the cursor of that list's page 2, known once page 1 was shown. */
  cursors: Record<string, string>;
  at: number;
}

declare module 'express-session' {
  interface SessionData {
    rosterSearches?: Record<string, SavedSearch>;
  }
}

/** Searches kept per session (the oldest go first): enough for going back and forth between a few. */
const KEEP = 20;
/** Pages whose cursor is kept per search and list. */
const MAX_PAGES = 1000;

type WithSession = { session: Session & Partial<SessionData> };

export function saveSearch(req: WithSession, filters: SavedFilters): string {
  const id = crypto.randomBytes(6).toString('base64url');
  const searches = { ...(req.session.rosterSearches ?? {}), [id]: { filters, cursors: {}, at: Date.now() } };
  const ids = Object.keys(searches).sort((a, b) => searches[b]!.at - searches[a]!.at);
  for (const old of ids.slice(KEEP)) delete searches[old];
  req.session.rosterSearches = searches;
  return id;
}

export function findSearch(req: WithSession, id: string | undefined): SavedSearch | null {
  if (!id) return null;
  return req.session.rosterSearches?.[id] ?? null;
}

/** The cursor of a page of a saved search (page 1 has none); undefined when this session never showed it. */
export function cursorOf(search: SavedSearch, list: string, page: number): string | null | undefined {
  if (page === 1) return null;
  return search.cursors[`${list}:${page}`];
}

export function rememberCursor(search: SavedSearch, list: string, page: number, cursor: string): void {
  if (page > MAX_PAGES) return;
  search.cursors[`${list}:${page}`] = cursor;
}

export function saveSession(req: WithSession): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
}
