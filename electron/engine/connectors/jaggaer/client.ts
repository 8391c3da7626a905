import { jaggaerTokenCache } from '../../auth/jaggaer';
import type { TokenCache } from '../../auth/token-cache';
import type { Http } from '../../http/client';
import { JaggaerCompanies } from './companies';
import { JaggaerInvoices } from './invoices';
import { resolveJaggaerPaths, type JaggaerPaths, type JaggaerPathsConfig } from './paths';
import { JaggaerPoClient } from './po-import';
import { JaggaerRest } from './rest';

export interface JaggaerClientConfig {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** PO XML import credentials, separate from the REST client. */
  identity: string;
  sharedSecret: string;
  /** The customer's endpoint paths; anything left out is the published default. */
  paths?: JaggaerPathsConfig;
  /** The older single PO import path setting of stored connections. */
  poImportPath?: string;
}

/** Everything Ferry does with one JAGGAER: suppliers, invoices and POs over one HTTP client and one token. */
export class JaggaerClient {
  readonly paths: JaggaerPaths;
  readonly tokens: TokenCache;
  readonly companies: JaggaerCompanies;
  readonly invoices: JaggaerInvoices;
  readonly po: JaggaerPoClient;

  constructor(http: Http, cfg: JaggaerClientConfig) {
    this.paths = resolveJaggaerPaths(cfg.paths, cfg.poImportPath);
    this.tokens = jaggaerTokenCache(http, { baseUrl: cfg.baseUrl, clientId: cfg.clientId, clientSecret: cfg.clientSecret, tokenPath: this.paths.token });
    const rest = new JaggaerRest(http, this.tokens, cfg.baseUrl);
    this.companies = new JaggaerCompanies(rest, this.paths.companyProfiles);
    this.invoices = new JaggaerInvoices(rest, this.paths);
    this.po = new JaggaerPoClient(http, { baseUrl: cfg.baseUrl, poImportPath: this.paths.poImport, identity: cfg.identity, sharedSecret: cfg.sharedSecret });
  }
}
