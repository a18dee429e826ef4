import 'reflect-metadata';
import { runApp } from '@jarvis/runtime';
import { gatewayApp } from './gateway.app';

runApp(gatewayApp);
