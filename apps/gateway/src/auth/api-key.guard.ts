import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ErrorCode, JarvisError } from '@jarvis/contracts';
import { API_PREFIX } from '../http/api-prefix';
import { ApiKeyService } from './api-key.service';
import { REQUIRED_ROLE } from './requires-role.decorator';
import { Role, roleSatisfies } from './role';

const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * Every route under `/api/v1` needs a key (`Authorization: Bearer <key>` or `X-API-Key`);
 * `/health`, `/health/*`, `/metrics` and the docs are open.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly keys: ApiKeyService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    if (!request.path.startsWith(`/${API_PREFIX}/`)) return true;

    const key = presentedKey(request);
    if (!key)
      throw new JarvisError(
        ErrorCode.Unauthorized,
        'An API key is required (Authorization: Bearer <key> or X-API-Key)',
      );
    const role = await this.keys.roleOf(key);
    if (!role) throw new JarvisError(ErrorCode.Unauthorized, 'The API key is not valid');

    const required =
      this.reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, [
        context.getHandler(),
        context.getClass(),
      ]) ?? (READ_METHODS.has(request.method) ? 'read' : 'write');
    if (!roleSatisfies(role, required)) {
      throw new JarvisError(
        ErrorCode.Forbidden,
        `This route needs the ${required} role; the key has ${role}`,
      );
    }
    return true;
  }
}

function presentedKey(request: Request): string | undefined {
  const authorization = request.headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    return match?.[1];
  }
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey.length > 0 ? apiKey : undefined;
}
