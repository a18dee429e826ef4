import 'reflect-metadata';
import { runApp } from '@jarvis/runtime';
import { orchestratorApp } from './orchestrator.app';

runApp(orchestratorApp);
