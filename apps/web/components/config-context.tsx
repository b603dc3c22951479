'use client';
import { createContext, useContext } from 'react';

export type ClientConfig = { temporalUiUrl: string; temporalNamespace: string };
export const ConfigContext = createContext<ClientConfig>({ temporalUiUrl: 'http://127.0.0.1:8233', temporalNamespace: 'default' });
export const useClientConfig = () => useContext(ConfigContext);

export function temporalRunUrl(cfg: ClientConfig, workflowId: string, runId?: string): string {
  const base = `${cfg.temporalUiUrl}/namespaces/${encodeURIComponent(cfg.temporalNamespace)}/workflows/${encodeURIComponent(workflowId)}`;
  return runId ? `${base}/${encodeURIComponent(runId)}` : base;
}
