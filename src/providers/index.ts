export * from './ai-sdk/index.js';
export * from './emulator/index.js';
