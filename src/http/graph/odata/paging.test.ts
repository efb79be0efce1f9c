import { describe, expect, it } from 'vitest';
import { applySelect, collectionResponse, withSkipToken } from './paging.js';
import { decodeSkipToken, encodeSkipToken } from './skip-token.js';

const context =
  'https://elevate.test/v1.0/$metadata#roleManagement/directory/roleAssignmentScheduleInstances';

describe('collectionResponse', () => {
  it('given a last page, when enveloped, then it has a context and the items, and no nextLink or count', () => {
    const response = collectionResponse({
      context,
      items: [{ id: 'a' }],
      top: 10,
      requestUrl: '/v1.0/roleManagement/directory/roleAssignmentScheduleInstances',
    });
    expect(response).toEqual({ '@odata.context': context, value: [{ id: 'a' }] });
    expect(Object.keys(response)).toEqual(['@odata.context', 'value']);
  });

  it('given more items than top and a next token, when enveloped, then the page is cut and a nextLink follows value', () => {
    const token = encodeSkipToken({ after: 'b' });
    const response = collectionResponse({
      context,
      items: [{ id: 'a' }, { id: 'b' }, { id: 'c' }],
      top: 2,
      count: 3,
      nextSkipToken: token,
      requestUrl:
        'https://elevate.test/v1.0/roleManagement/directory/roleAssignmentScheduleInstances?$top=2&$count=true',
    });
    expect(response).toEqual({
      '@odata.context': context,
      '@odata.count': 3,
      value: [{ id: 'a' }, { id: 'b' }],
      '@odata.nextLink': `https://elevate.test/v1.0/roleManagement/directory/roleAssignmentScheduleInstances?$top=2&$count=true&$skiptoken=${token}`,
    });
    expect(Object.keys(response)).toEqual(['@odata.context', '@odata.count', 'value', '@odata.nextLink']);
  });

  it('given a count of zero, when enveloped, then @odata.count is still present', () => {
    expect(collectionResponse({ context, items: [], top: 5, count: 0, requestUrl: '/x' })).toEqual({
      '@odata.context': context,
      '@odata.count': 0,
      value: [],
    });
  });
});

describe('withSkipToken', () => {
  it('given a URL without a query, when a token is added, then it becomes the only parameter', () => {
    expect(withSkipToken('https://h/v1.0/things', 'abc')).toBe('https://h/v1.0/things?$skiptoken=abc');
  });

  it('given an existing $skipToken in any case, when replaced, then it keeps its place and the others stay in order', () => {
    expect(withSkipToken('/v1.0/things?$top=5&$skipToken=old&$skiptoken=older&api-version=1', 'new')).toBe(
      '/v1.0/things?$top=5&$skiptoken=new&api-version=1',
    );
  });

  it('given an encoded filter, when rebuilt, then it is re-encoded with %20 for spaces and readable OData punctuation', () => {
    const url =
      "/v1.0/things?%24filter=status+eq+'Granted'%20and%20principal%2Fid%20eq%20'a%26b'&$select=id,status";
    expect(withSkipToken(url, 'T')).toBe(
      "/v1.0/things?$filter=status%20eq%20'Granted'%20and%20principal/id%20eq%20'a%26b'&$select=id,status&$skiptoken=T",
    );
  });

  it('given the rebuilt link, when its query is parsed back, then every value is what the client sent', () => {
    const filter = "displayName eq 'a+b & c=d?#%' and startDateTime ge 2024-01-01T00:00:00+02:00";
    const token = encodeSkipToken({ after: 'x' });
    const link = withSkipToken(`https://h/v1.0/x?$filter=${encodeURIComponent(filter)}&flag`, token);
    const parsed = new URL(link).searchParams;
    expect(parsed.get('$filter')).toBe(filter);
    expect(parsed.has('flag')).toBe(true);
    expect(decodeSkipToken(parsed.get('$skiptoken')!)).toEqual({ after: 'x' });
  });

  it('given malformed percent-encoding or a fragment, when rebuilt, then that pair is kept verbatim and the fragment dropped', () => {
    expect(withSkipToken('/x?a=%E0%A4%A&&b=&c#frag', 't')).toBe('/x?a=%E0%A4%A&b=&c&$skiptoken=t');
  });
});

describe('applySelect', () => {
  const item = {
    '@odata.type': '#microsoft.graph.unifiedRoleAssignmentScheduleRequest',
    id: '1',
    status: 'Granted',
    principalId: 'p',
    justification: 'j',
    principal: { id: 'p' },
  };

  it('given no $select, when applied, then the item is returned whole', () => {
    expect(applySelect(item, undefined)).toBe(item);
  });

  it('given a $select, when applied, then id, @odata annotations and the selected keys remain', () => {
    expect(applySelect(item, ['status'])).toEqual({
      '@odata.type': '#microsoft.graph.unifiedRoleAssignmentScheduleRequest',
      id: '1',
      status: 'Granted',
    });
  });

  it('given a $select and an $expand, when applied, then expanded navigations remain too', () => {
    expect(applySelect(item, ['justification'], [{ name: 'principal' }])).toEqual({
      '@odata.type': '#microsoft.graph.unifiedRoleAssignmentScheduleRequest',
      id: '1',
      justification: 'j',
      principal: { id: 'p' },
    });
  });

  it('given a selected name the item lacks, when applied, then nothing is invented', () => {
    expect(applySelect({ id: '1' }, ['missing'])).toEqual({ id: '1' });
  });
});
