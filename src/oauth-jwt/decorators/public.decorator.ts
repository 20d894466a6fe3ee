import { SetMetadata } from '@nestjs/common';
import { IS_PUBLIC_KEY } from '../oauth-jwt.constants';

/** Opens a route or a whole controller: no token is read or required. */
export const Public = (): ClassDecorator & MethodDecorator => SetMetadata(IS_PUBLIC_KEY, true);
