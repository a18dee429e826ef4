import { SetMetadata } from '@nestjs/common';
import { Role } from './role';

export const REQUIRED_ROLE = 'jarvis:required-role';

/**
 * The role a route needs. Without it, reads (GET, HEAD) need `read`
 * and everything else needs `write`.
 */
export const RequiresRole = (role: Role) => SetMetadata(REQUIRED_ROLE, role);
