/**
 * API tokens and users. A token is shown once, at creation; only its SHA-256 hash is kept (in memory and in
 * `<data>/auth.json`), lookups compare every hash in constant time, and tokens expire and can be revoked.
 * A token acts with its own role, or as a user, whose role and per-repository grants then apply.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { GovcError } from '../../../src-shared/errors';
import { writeFileAtomic } from '../fs/atomic';
import { ROLES, type AssignableRole, type Principal } from './roles';
import { hashSecret, newSecret } from './tokens';

const RoleSchema = z.enum(ROLES);

const TokenRecord = z.object({
  id: z.string(),
  name: z.string(),
  hash: z.string(), // hex SHA-256 of the secret
  role: RoleSchema,
  repos: z.array(z.string()).optional(),
  user: z.string().optional(),
  created_at: z.string(),
  expires_at: z.string().optional(),
  revoked_at: z.string().optional(),
  last_used_at: z.string().optional(),
});
export type TokenRecord = z.infer<typeof TokenRecord>;

const UserRecord = z.object({
  id: z.string(),
  name: z.string(),
  role: RoleSchema,
  grants: z.record(z.string(), RoleSchema),
  created_at: z.string(),
});
export type UserRecord = z.infer<typeof UserRecord>;

const AuthFile = z.object({ version: z.literal(1), tokens: z.array(TokenRecord), users: z.array(UserRecord) });

export type TokenInfo = Omit<TokenRecord, 'hash'> & { revoked: boolean; expired: boolean };

export interface CreateTokenInput {
  name: string;
  role?: AssignableRole;
  repos?: string[];
  user?: string;
  expires_in?: number;
}

export class AuthService {
  private tokens: TokenRecord[] = [];
  private users: UserRecord[] = [];
  private readonly file: string | undefined;

  constructor(options: { dataDir?: string; now?: () => Date } = {}) {
    this.file = options.dataDir === undefined ? undefined : join(options.dataDir, 'auth.json');
    this.now = options.now ?? (() => new Date());
    this.load();
  }

  private readonly now: () => Date;

  private load(): void {
    if (this.file === undefined || !existsSync(this.file)) return;
    const parsed = AuthFile.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
    if (!parsed.success)
      throw new GovcError('INTERNAL', `${this.file} is not a valid auth file: ${parsed.error.message}`);
    this.tokens = parsed.data.tokens;
    this.users = parsed.data.users;
  }

  /** Writes the state durably; called after every change (these are rare, admin-driven events). */
  save(): void {
    if (this.file === undefined) return;
    writeFileAtomic(this.file, JSON.stringify({ version: 1, tokens: this.tokens, users: this.users }, null, 2));
  }

  createToken(input: CreateTokenInput): { info: TokenInfo; token: string } {
    const user = input.user === undefined ? undefined : this.requireUser(input.user);
    const role = input.role ?? user?.role;
    if (role === undefined) throw new GovcError('VALIDATION_FAILED', 'Invalid role: a token needs a role or a user');
    const token = newSecret();
    const now = this.now();
    const record: TokenRecord = {
      id: `tok_${randomBytes(6).toString('hex')}`,
      name: input.name,
      hash: hashSecret(token).toString('hex'),
      role,
      ...(input.repos === undefined ? {} : { repos: [...new Set(input.repos)] }),
      ...(user === undefined ? {} : { user: user.id }),
      created_at: now.toISOString(),
      ...(input.expires_in === undefined
        ? {}
        : { expires_at: new Date(now.getTime() + input.expires_in * 1000).toISOString() }),
    };
    this.tokens.push(record);
    this.save();
    return { info: this.describe(record), token };
  }

  listTokens(): TokenInfo[] {
    return this.tokens.map((t) => this.describe(t));
  }

  revokeToken(id: string): TokenInfo {
    const record = this.tokens.find((t) => t.id === id);
    if (!record) throw new GovcError('NOT_FOUND', `No token with id ${id}`, { token: id });
    record.revoked_at ??= this.now().toISOString();
    this.save();
    return this.describe(record);
  }

  /** The principal a bearer secret stands for, or undefined (unknown, revoked or expired). */
  verify(secret: string): Principal | undefined {
    const hash = hashSecret(secret);
    let match: TokenRecord | undefined;
    for (const record of this.tokens) {
      if (timingSafeEqual(Buffer.from(record.hash, 'hex'), hash)) match = record;
    }
    if (!match || this.isRevokedOrExpired(match)) return undefined;
    match.last_used_at = this.now().toISOString();
    const user = match.user === undefined ? undefined : this.users.find((u) => u.id === match.user);
    if (match.user !== undefined && !user) return undefined; // the user was deleted: the token dies with it
    return {
      id: user?.id ?? match.id,
      name: user?.name ?? match.name,
      role: user?.role ?? match.role,
      ...(match.repos === undefined ? {} : { repos: match.repos }),
      ...(user === undefined ? {} : { grants: user.grants }),
    };
  }

  createUser(input: { name: string; role: AssignableRole; grants?: Record<string, AssignableRole> }): UserRecord {
    if (this.users.some((u) => u.name === input.name)) {
      throw new GovcError('CONFLICT', `A user named ${input.name} exists already`, { name: input.name });
    }
    const user: UserRecord = {
      id: `usr_${randomBytes(6).toString('hex')}`,
      name: input.name,
      role: input.role,
      grants: input.grants ?? {},
      created_at: this.now().toISOString(),
    };
    this.users.push(user);
    this.save();
    return user;
  }

  listUsers(): UserRecord[] {
    return [...this.users];
  }

  updateUser(id: string, change: { role?: AssignableRole; grants?: Record<string, AssignableRole> }): UserRecord {
    const user = this.requireUser(id);
    if (change.role !== undefined) user.role = change.role;
    if (change.grants !== undefined) user.grants = change.grants;
    this.save();
    return user;
  }

  deleteUser(id: string): void {
    this.requireUser(id);
    this.users = this.users.filter((u) => u.id !== id);
    const now = this.now().toISOString();
    for (const t of this.tokens) if (t.user === id) t.revoked_at ??= now;
    this.save();
  }

  private requireUser(id: string): UserRecord {
    const user = this.users.find((u) => u.id === id || u.name === id);
    if (!user) throw new GovcError('NOT_FOUND', `No user ${id}`, { user: id });
    return user;
  }

  private isRevokedOrExpired(record: TokenRecord): boolean {
    if (record.revoked_at !== undefined) return true;
    return record.expires_at !== undefined && Date.parse(record.expires_at) <= this.now().getTime();
  }

  private describe(record: TokenRecord): TokenInfo {
    const { hash: _hash, ...rest } = record;
    return {
      ...rest,
      revoked: record.revoked_at !== undefined,
      expired: record.expires_at !== undefined && Date.parse(record.expires_at) <= this.now().getTime(),
    };
  }
}
