import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { NotFoundError } from '@jarvis/contracts';
import { JARVIS_CONFIG, type JarvisConfig } from '@jarvis/runtime';
import { ApiKeyEntity } from './api-key.entity';
import { generateApiKey, hashApiKey } from './api-key-hash';
import { Role } from './role';

export interface ApiKeyView {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  revokedAt: string | null;
}

const BOOTSTRAP_ADMIN_NAME = 'bootstrap-admin';
/** How long a verified key is trusted without asking the database again. */
const CACHE_TTL_MS = 5_000;
const CACHE_MAX = 1_000;

@Injectable()
export class ApiKeyService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ApiKeyService.name);
  private readonly cache = new Map<string, { role: Role | null; until: number }>();

  constructor(
    @InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>,
    @Inject(JARVIS_CONFIG) private readonly config: JarvisConfig,
  ) {}

  /** The bootstrap admin key follows `JARVIS_ADMIN_API_KEY`: a new value replaces the old one. */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.adminApiKey) {
      this.logger.warn('JARVIS_ADMIN_API_KEY is not set: no bootstrap admin key');
      return;
    }
    await this.keys.upsert(
      {
        name: BOOTSTRAP_ADMIN_NAME,
        keyHash: hashApiKey(this.config.adminApiKey),
        role: 'admin',
        revokedAt: null,
      },
      ['name'],
    );
  }

  /** The role of a valid key, or null. */
  async roleOf(key: string): Promise<Role | null> {
    const hash = hashApiKey(key);
    const cached = this.cache.get(hash);
    if (cached && cached.until > Date.now()) return cached.role;
    const found = await this.keys.findOne({ where: { keyHash: hash, revokedAt: IsNull() } });
    const role = found?.role ?? null;
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(hash, { role, until: Date.now() + CACHE_TTL_MS });
    return role;
  }

  async create(name: string, role: Role): Promise<{ key: string; apiKey: ApiKeyView }> {
    const key = generateApiKey();
    const saved = await this.keys.save(this.keys.create({ name, role, keyHash: hashApiKey(key) }));
    this.cache.clear();
    return { key, apiKey: toView(saved) };
  }

  async list(): Promise<ApiKeyView[]> {
    const keys = await this.keys.find({ order: { createdAt: 'ASC' } });
    return keys.map(toView);
  }

  async revoke(id: string): Promise<ApiKeyView> {
    const found = await this.keys.findOne({ where: { id } });
    if (!found) throw new NotFoundError(`No API key with id ${id}`);
    found.revokedAt ??= new Date();
    this.cache.clear();
    return toView(await this.keys.save(found));
  }
}

function toView(entity: ApiKeyEntity): ApiKeyView {
  return {
    id: entity.id,
    name: entity.name,
    role: entity.role,
    createdAt: entity.createdAt.toISOString(),
    revokedAt: entity.revokedAt?.toISOString() ?? null,
  };
}
