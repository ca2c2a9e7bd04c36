import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApiClient } from './lib/index.js';
import { App } from './ui/index.js';
import './styles.css';

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App api={createApiClient(document.baseURI)} />
    </StrictMode>,
  );
}
