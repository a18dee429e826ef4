// Unit tests assert behaviour, not log output: keep Nest's console logger quiet.
const { Logger } = require('@nestjs/common');

Logger.overrideLogger(false);
