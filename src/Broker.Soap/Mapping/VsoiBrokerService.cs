using Broker.Core.Credentials;
using Broker.Core.Model;
using Broker.Core.Search;
using Broker.Core.Services;
using Broker.Core.Validation;
using Broker.Soap.Contracts;

namespace Broker.Soap.Mapping;

/// <summary>
/// The broker behind the VSOi door: a Query runs one search through the <see cref="SearchEngine"/>, a
/// GetData routes file ids through the <see cref="FileResolver"/>. Transport-free (the server maps HTTP).
/// </summary>
public sealed class VsoiBrokerService(
    SearchEngine engine, FileResolver resolver, QueryNormalizer normalizer, IRecordLookup? records = null, IUrlVerifier? verifier = null)
{
    /// <summary>
    /// Runs a Query. Throws <see cref="QueryValidationException"/> for a bad block (including a filter the broker
    /// cannot apply, see <see cref="VsoiQueryMapper.UnsupportedFilters"/>) and
    /// <see cref="NoProviderException"/> when no provider can answer it (both are the caller's to fix).
    /// </summary>
    public async Task<QueryResponse> QueryAsync(QueryRequest request, string? sessionId, CancellationToken cancellationToken,
        CallerCredentials? credentials = null, Action? sessionStoreUnavailable = null)
    {
        var unsupported = VsoiQueryMapper.UnsupportedFilters(request.Block);
        NormalizedQuery query;
        try
        {
            query = normalizer.Normalize([VsoiQueryMapper.ToInput(request.Block)]);
        }
        catch (QueryValidationException ex) when (unsupported.Count > 0)
        {
            throw new QueryValidationException([.. ex.Errors, .. unsupported]);
        }
        if (unsupported.Count > 0) throw new QueryValidationException(unsupported);
        var result = await engine.SearchAsync(new SearchRequest
        {
            Query = query, SessionId = sessionId, Credentials = credentials, SessionStoreUnavailable = sessionStoreUnavailable,
        }, cancellationToken).ConfigureAwait(false);
        return VsoiQueryMapper.ToResponse(result, request.Block);
    }

    /// <summary>
    /// Runs a GetData: one answer per provider named in the request. Throws <see cref="QueryValidationException"/>
    /// (before any lookup or provider call) when the file ids break <see cref="FileIdRules"/>. <paramref name="credentials"/> are the
    /// caller's own; <paramref name="handOut"/> may replace URLs that need them (the server's download links).
    /// </summary>
    public async Task<GetDataAnswer> GetDataAsync(VSOGetDataRequest request, string? sessionId, CancellationToken cancellationToken,
        CallerCredentials? credentials = null, Func<IReadOnlyList<FileGroupResult>, IReadOnlyList<FileGroupResult>>? handOut = null)
    {
        var all = request.Request.DataContainer?.Items.SelectMany(i => i.FileIds).ToList() ?? [];
        FileIdRules.Validate(all, "fileid");
        var ids = all.Distinct(StringComparer.Ordinal).ToList();
        var known = sessionId is not null && records is not null && ids.Count > 0
            ? await records.FindAsync(sessionId, ids, cancellationToken).ConfigureAwait(false)
            : null;
        var groups = VsoiGetDataMapper.ToFileGroups(request.Request, known);
        var method = VsoiGetDataMapper.ChooseMethod(request.Request);
        if (method is null) return VsoiGetDataMapper.UnsupportedMethods(groups, request.Request);
        var results = await resolver.ResolveAsync(groups, verifier, cancellationToken, credentials).ConfigureAwait(false);
        if (handOut is not null) results = handOut(results);
        return VsoiGetDataMapper.ToAnswer(groups, results, method);
    }
}
