import type { FastifyInstance } from 'fastify';
import type { Api } from './api';
import { principalOf } from './auth';
import { ISSUE_NOT_FOUND, sendError } from './errors';
import type { Json } from './model';

// Issue properties: JSON stored on an issue under a key. Not searchable with JQL here (Jira indexes them
// only when an app declares them), so Ferry may keep its own data in them but must look issues up another
// way.

type PropParams = { Params: { issueIdOrKey: string; propertyKey: string } };

const MAX_VALUE_CHARS = 32_768;

export function propertyRoutes(app: FastifyInstance, api: Api): void {
  const { store } = api.rt;

  app.get<{ Params: { issueIdOrKey: string } }>('/rest/api/3/issue/:issueIdOrKey/properties', async (req, reply) => {
    const issue = store.issue(req.params.issueIdOrKey);
    if (!issue) return sendError(reply, 404, ISSUE_NOT_FOUND);
    const base = api.render(req).base;
    return { keys: Object.keys(issue.properties).map((key) => ({ key, self: `${base}/rest/api/3/issue/${issue.id}/properties/${encodeURIComponent(key)}` })) };
  });

  app.get<PropParams>('/rest/api/3/issue/:issueIdOrKey/properties/:propertyKey', async (req, reply) => {
    const issue = store.issue(req.params.issueIdOrKey);
    if (!issue) return sendError(reply, 404, ISSUE_NOT_FOUND);
    const { propertyKey } = req.params;
    if (!(propertyKey in issue.properties)) return sendError(reply, 404, `The property with key '${propertyKey}' does not exist.`);
    return { key: propertyKey, value: issue.properties[propertyKey]! };
  });

  app.put<PropParams>('/rest/api/3/issue/:issueIdOrKey/properties/:propertyKey', async (req, reply) => {
    const issue = store.issue(req.params.issueIdOrKey);
    if (!issue) return sendError(reply, 404, ISSUE_NOT_FOUND);
    const { propertyKey } = req.params;
    if (propertyKey.length > 255) return sendError(reply, 400, 'The property key cannot be longer than 255 characters.');
    if (req.body === undefined) return sendError(reply, 400, 'The property value must be valid JSON.');
    const value = req.body as Json;
    if (JSON.stringify(value).length > MAX_VALUE_CHARS) return sendError(reply, 400, `The property value cannot be longer than ${MAX_VALUE_CHARS} characters.`);
    const existed = propertyKey in issue.properties;
    issue.properties[propertyKey] = value;
    store.changed();
    api.rt.emit({ name: 'issue_property_set', issue, actor: store.user(principalOf(req).accountId)!, property: { key: propertyKey, value } });
    return reply.code(existed ? 200 : 201).send({});
  });

  app.delete<PropParams>('/rest/api/3/issue/:issueIdOrKey/properties/:propertyKey', async (req, reply) => {
    const issue = store.issue(req.params.issueIdOrKey);
    if (!issue) return sendError(reply, 404, ISSUE_NOT_FOUND);
    const { propertyKey } = req.params;
    if (!(propertyKey in issue.properties)) return sendError(reply, 404, `The property with key '${propertyKey}' does not exist.`);
    delete issue.properties[propertyKey];
    store.changed();
    api.rt.emit({ name: 'issue_property_deleted', issue, actor: store.user(principalOf(req).accountId)!, property: { key: propertyKey } });
    return reply.code(204).send();
  });
}
