/**
 * Authors and committers are given per commit (never read from a repository config), and checked so the
 * resulting object passes `git fsck --strict`: no '<', '>' or newlines in names and emails.
 */
import { GovcError } from '../../../src-shared/errors';
import type { Identity } from './objects';

export interface AuthorInput {
  name: string;
  email: string;
  time?: number;
  timezone?: string;
}

export function localTimezone(date: Date): string {
  const off = -date.getTimezoneOffset();
  const abs = Math.abs(off);
  return `${off < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

export function toIdentity(input: AuthorInput, what = 'author'): Identity {
  const name = input.name.trim();
  const email = input.email.trim();
  // eslint-disable-next-line no-control-regex
  const bad = /[<>\n\r\x00]/;
  if (!name || bad.test(name) || bad.test(email)) {
    throw new GovcError(
      'INVALID_AUTHOR',
      `Invalid ${what}: names and emails may not be empty or contain < > or newlines`,
      {
        field: what,
      },
    );
  }
  if (input.timezone !== undefined && !/^[+-]\d{4}$/.test(input.timezone)) {
    throw new GovcError('INVALID_AUTHOR', `Invalid ${what} timezone "${input.timezone}": write it as +HHMM`, {
      field: what,
    });
  }
  const now = new Date();
  return {
    name,
    email,
    time: input.time ?? Math.floor(now.getTime() / 1000),
    tz: input.timezone ?? localTimezone(now),
  };
}

/** ISO 8601 in the identity's own offset, e.g. 2024-05-01T12:00:00+02:00. */
export function identityTime(who: Identity): string {
  const sign = who.tz.startsWith('-') ? -1 : 1;
  const minutes = sign * (Number(who.tz.slice(1, 3)) * 60 + Number(who.tz.slice(3, 5)));
  const local = new Date((who.time + minutes * 60) * 1000).toISOString().slice(0, 19);
  return `${local}${who.tz.slice(0, 3)}:${who.tz.slice(3, 5)}`;
}
