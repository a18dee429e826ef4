import 'reflect-metadata';
import { runApp } from '@jarvis/runtime';
import { historyApp } from './history.app';

runApp(historyApp);
