import { StrictMode } from 'react';
import { z } from 'zod';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { connectApi } from './api-client';
import './styles.css';

// The CSP allows no eval: zod's speed-up probes for one with new Function (a console error otherwise).
z.config({ jitless: true });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App api={connectApi()} />
  </StrictMode>,
);
