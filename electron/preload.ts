import { contextBridge, ipcRenderer } from 'electron';
import { ipcChannel, methodNames } from '../shared/api';

// Exposes window.ferry — one function per method of shared/api.ts — and nothing else.
const api = Object.fromEntries(methodNames.map((method) => [method, (input: unknown) => ipcRenderer.invoke(ipcChannel(method), input)]));

contextBridge.exposeInMainWorld('ferry', api);
