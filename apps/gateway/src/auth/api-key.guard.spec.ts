import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ErrorCode } from '@jarvis/contracts';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeyService } from './api-key.service';
import { Role } from './role';

function httpContext(request: {
  path: string;
  method: string;
  headers: Record<string, string>;
}): ExecutionContext {
  return {
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => request }),
    getHandler: () => () => undefined,
    getClass: () => class {},
  } as unknown as ExecutionContext;
}

describe(ApiKeyGuard.name, () => {
  const roles: Record<string, Role> = {
    'read-key': 'read',
    'write-key': 'write',
    'admin-key': 'admin',
  };
  const keys = { roleOf: (key: string) => Promise.resolve(roles[key] ?? null) } as ApiKeyService;
  const reflector = { getAllAndOverride: () => undefined } as unknown as Reflector;
  const guard = new ApiKeyGuard(keys, reflector);
  const call = (path: string, method: string, headers: Record<string, string> = {}) =>
    guard.canActivate(httpContext({ path, method, headers }));

  it('lets health, metrics and docs through without a key', async () => {
    await expect(call('/health', 'GET')).resolves.toBe(true);
    await expect(call('/health/ready', 'GET')).resolves.toBe(true);
    await expect(call('/metrics', 'GET')).resolves.toBe(true);
    await expect(call('/api/docs', 'GET')).resolves.toBe(true);
  });

  it('asks for a key under /api/v1 and refuses an unknown one', async () => {
    await expect(call('/api/v1/execute', 'POST')).rejects.toMatchObject({
      code: ErrorCode.Unauthorized,
    });
    await expect(call('/api/v1/execute', 'POST', { 'x-api-key': 'stolen' })).rejects.toMatchObject({
      code: ErrorCode.Unauthorized,
    });
  });

  it('accepts a bearer token or an X-API-Key header', async () => {
    await expect(
      call('/api/v1/execute', 'POST', { authorization: 'Bearer write-key' }),
    ).resolves.toBe(true);
    await expect(call('/api/v1/execute', 'POST', { 'x-api-key': 'write-key' })).resolves.toBe(true);
  });

  it('lets a read key read but not write', async () => {
    await expect(call('/api/v1/tasks', 'GET', { 'x-api-key': 'read-key' })).resolves.toBe(true);
    await expect(
      call('/api/v1/execute', 'POST', { 'x-api-key': 'read-key' }),
    ).rejects.toMatchObject({
      code: ErrorCode.Forbidden,
    });
  });

  it('honours a route that needs admin', async () => {
    const adminOnly = new ApiKeyGuard(keys, {
      getAllAndOverride: () => 'admin',
    } as unknown as Reflector);
    const context = (key: string) =>
      httpContext({ path: '/api/v1/api-keys', method: 'POST', headers: { 'x-api-key': key } });
    await expect(adminOnly.canActivate(context('write-key'))).rejects.toMatchObject({
      code: ErrorCode.Forbidden,
    });
    await expect(adminOnly.canActivate(context('admin-key'))).resolves.toBe(true);
  });
});
