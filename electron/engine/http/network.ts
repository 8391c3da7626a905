import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import tls from 'node:tls';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { FerryError } from '../../../shared/errors';

// How Ferry reaches the outside on a corporate network: an HTTPS proxy (HTTPS_PROXY / NO_PROXY, or one set
// in Ferry), extra CA certificates for TLS inspection, and a connect timeout separate from the request one.

export interface NetworkSettings {
  /** e.g. http://proxy.corp:3128; null = none; undefined = from HTTPS_PROXY / HTTP_PROXY. */
  proxyUrl?: string | null;
  /** Comma-separated hosts that bypass the proxy; undefined = from NO_PROXY. */
  noProxy?: string;
  /** PEM file with extra CA certificates (corporate TLS inspection). */
  caFile?: string | null;
  connectTimeoutMs?: number;
}

export interface Agents {
  httpAgent: http.Agent;
  httpsAgent: https.Agent;
  proxy: string | null;
}

const DEFAULT_CONNECT_TIMEOUT = 15_000;

/** Reads the CA file once, with a sentence when it is not usable. */
export function loadCa(file: string | null | undefined): string[] | undefined {
  if (!file) return undefined;
  let pem: string;
  try {
    pem = fs.readFileSync(file, 'utf8');
  } catch {
    throw new FerryError('ca_file', `Ferry cannot read the CA certificate file ${file}; check the path in Settings.`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new FerryError('ca_file', `${file} holds no PEM certificate ("-----BEGIN CERTIFICATE-----"); export your company's CA certificate as Base-64/PEM.`);
  }
  // Extra CAs are added to Node's own list, not instead of it: public sites must keep working.
  return [...tls.rootCertificates, pem];
}

/**
 * HttpsProxyAgent (v9) resets its own options, so a `ca` given to it reaches only the TLS to the proxy, not
 * the TLS to the target through the tunnel; and it drops the target host before the TLS upgrade, so an
 * IP-address target is checked against "localhost". This passes the extra CAs into each target connection
 * and checks the certificate against the real target host.
 */
class CaAwareProxyAgent extends HttpsProxyAgent<string> {
  constructor(
    proxy: string,
    private readonly extraCa: string[] | undefined,
  ) {
    super(proxy, { keepAlive: true, ...(extraCa ? { ca: extraCa } : {}) });
  }

  override connect(req: http.ClientRequest, opts: Parameters<HttpsProxyAgent<string>['connect']>[1]): Promise<net.Socket> {
    const host = String(opts.host);
    const checked = {
      ...opts,
      ...(this.extraCa ? { ca: this.extraCa } : {}),
      checkServerIdentity: (_servername: string, cert: tls.PeerCertificate) => tls.checkServerIdentity(host, cert),
    } as typeof opts;
    return super.connect(req, checked);
  }
}

function withConnectTimeout<T extends http.Agent>(agent: T, ms: number): T {
  const original = (agent as unknown as { createConnection: (...args: unknown[]) => net.Socket }).createConnection.bind(agent);
  (agent as unknown as { createConnection: (...args: unknown[]) => net.Socket }).createConnection = (...args: unknown[]) => {
    const socket = original(...args);
    const timer = setTimeout(() => socket.destroy(Object.assign(new Error(`connect timed out after ${ms} ms`), { code: 'ECONNECTTIMEOUT' })), ms);
    socket.once('connect', () => clearTimeout(timer));
    socket.once('close', () => clearTimeout(timer));
    return socket;
  };
  return agent;
}

const envVar = (env: NodeJS.ProcessEnv, name: string): string | undefined => env[name.toUpperCase()] || env[name.toLowerCase()] || undefined;

/**
 * Whether a target bypasses the proxy, by the NO_PROXY rules curl and proxy-from-env use: "*" bypasses all;
 * "host" matches exactly; ".corp" or "*.corp" match a suffix; "host:port" also needs the port. Hand-written
 * because proxy-from-env reads only process.env, and Ferry's own proxy setting must follow the same rules.
 */
export function bypassesProxy(targetUrl: string, noProxy: string): boolean {
  const url = new URL(targetUrl);
  const host = url.hostname.toLowerCase();
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  const rules = noProxy.toLowerCase().split(/[,\s]+/).filter(Boolean);
  return rules.some((rule) => {
    if (rule === '*') return true;
    const m = /^(.+):(\d+)$/.exec(rule);
    const name = m ? m[1]! : rule;
    if (m && Number(m[2]) !== port) return false;
    if (name.startsWith('*') || name.startsWith('.')) return host.endsWith(name.replace(/^\*/, ''));
    return host === name;
  });
}

/** The proxy for one target: Ferry's setting if given (null = none), else HTTPS_PROXY/HTTP_PROXY, minus NO_PROXY. */
export function proxyFor(targetUrl: string, settings: NetworkSettings = {}, env: NodeJS.ProcessEnv = process.env): string | null {
  const https = new URL(targetUrl).protocol === 'https:';
  const fromEnv = (https ? envVar(env, 'https_proxy') : envVar(env, 'http_proxy')) ?? envVar(env, 'all_proxy') ?? null;
  const proxy = settings.proxyUrl === undefined ? fromEnv : settings.proxyUrl;
  if (!proxy) return null;
  const noProxy = settings.noProxy ?? envVar(env, 'no_proxy') ?? '';
  return bypassesProxy(targetUrl, noProxy) ? null : proxy.includes('://') ? proxy : `http://${proxy}`;
}

/** Agents for one target URL: proxied or direct (NO_PROXY honoured), with the extra CAs for the target's TLS. */
export function agentsFor(targetUrl: string, settings: NetworkSettings = {}, env: NodeJS.ProcessEnv = process.env): Agents {
  const ca = loadCa(settings.caFile);
  const connectMs = settings.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT;
  const proxy = proxyFor(targetUrl, settings, env);
  if (proxy) {
    return {
      httpAgent: new HttpProxyAgent(proxy, { keepAlive: true }),
      httpsAgent: new CaAwareProxyAgent(proxy, ca),
      proxy,
    };
  }
  return {
    httpAgent: withConnectTimeout(new http.Agent({ keepAlive: true }), connectMs),
    httpsAgent: withConnectTimeout(new https.Agent({ keepAlive: true, ...(ca ? { ca } : {}) }), connectMs),
    proxy: null,
  };
}
