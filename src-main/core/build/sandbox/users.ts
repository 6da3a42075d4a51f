/**
 * USER resolution as Docker does it: names and groups are looked up in the image's own /etc/passwd and
 * /etc/group (never the host's); a numeric uid without an entry runs with gid 0.
 */
import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GovcError } from '../../../../src-shared/errors';
import { resolveDir } from '../layers/resolve';

export interface ResolvedUser {
  uid: number;
  gid: number;
}

export async function resolveUser(rootfs: string, spec: string | undefined): Promise<ResolvedUser> {
  if (!spec) return { uid: 0, gid: 0 };
  const [userPart = '', groupPart] = spec.split(':', 2);
  const passwd = await readImageFile(rootfs, 'etc/passwd');
  let uid: number;
  let gid = 0;
  const entry = passwd
    .map((line) => line.split(':'))
    .find((f) => f.length >= 4 && (f[0] === userPart || (isNumeric(userPart) && f[2] === userPart)));
  if (entry) {
    uid = Number(entry[2]);
    gid = Number(entry[3]);
  } else if (isNumeric(userPart)) {
    uid = Number(userPart);
  } else {
    throw new GovcError('USER_NOT_FOUND', `USER ${spec}: no user "${userPart}" in the image's /etc/passwd`);
  }
  if (groupPart !== undefined && groupPart !== '') {
    if (isNumeric(groupPart)) gid = Number(groupPart);
    else {
      const group = (await readImageFile(rootfs, 'etc/group')).map((l) => l.split(':')).find((f) => f[0] === groupPart);
      if (!group)
        throw new GovcError('USER_NOT_FOUND', `USER ${spec}: no group "${groupPart}" in the image's /etc/group`);
      gid = Number(group[2]);
    }
  }
  return { uid, gid };
}

/**
 * `COPY --chown` differs from USER in one rule: a numeric uid without a group takes the same number as its
 * gid (Docker's reference; BuildKit and buildah do so), whatever /etc/passwd says.
 */
export async function resolveChown(rootfs: string, spec: string): Promise<ResolvedUser> {
  const [userPart = '', groupPart] = spec.split(':', 2);
  if (isNumeric(userPart) && (groupPart === undefined || groupPart === ''))
    return { uid: Number(userPart), gid: Number(userPart) };
  return resolveUser(rootfs, spec);
}

/** HOME for a RUN, as Docker sets it: the user's home in the image's /etc/passwd, else `/`. */
export async function homeOf(rootfs: string, uid: number): Promise<string> {
  const entry = (await readImageFile(rootfs, 'etc/passwd'))
    .map((line) => line.split(':'))
    .find((f) => f.length >= 6 && f[2] === String(uid));
  return entry?.[5] || '/';
}

/** Reads a file of the image, following its symlinks only within the rootfs. */
async function readImageFile(rootfs: string, path: string): Promise<string[]> {
  const parts = path.split('/');
  try {
    const dir = await resolveDir(rootfs, parts.slice(0, -1));
    const host = join(rootfs, ...dir, parts[parts.length - 1]!);
    if (!(await lstat(host)).isFile()) return [];
    return (await readFile(host, 'utf8')).split('\n');
  } catch {
    return [];
  }
}

function isNumeric(value: string): boolean {
  return /^\d+$/.test(value);
}
