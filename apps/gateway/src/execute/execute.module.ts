import { DynamicModule, Module } from '@nestjs/common';
import { GATEWAY_SETTINGS, GatewaySettings } from '../gateway.settings';
import { ExecuteController } from './execute.controller';

@Module({})
export class ExecuteModule {
  static forRoot(settings: GatewaySettings): DynamicModule {
    return {
      module: ExecuteModule,
      controllers: [ExecuteController],
      providers: [{ provide: GATEWAY_SETTINGS, useValue: settings }],
    };
  }
}
