import 'reflect-metadata';
import { runApp } from '@jarvis/runtime';
import { healthApp } from './health.app';

runApp(healthApp);
