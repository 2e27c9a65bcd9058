import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'jigsaw:public';

/** Opens a route or controller to callers without a token; only health checks should need it. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
