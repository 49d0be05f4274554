using Microsoft.Extensions.Logging;

namespace Broker.Core.Search;

public sealed partial class SearchEngine
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information,
        Message = "Search {QueryId} session {SessionHash}: {BlockCount} blocks, asked {ProvidersAsked}, statuses {Statuses}, {RecordCount} of {Total} records, truncated {Truncated}, {ElapsedMs} ms")]
    private static partial void LogSearch(ILogger logger, string queryId, string? sessionHash, int blockCount, string providersAsked,
        string statuses, int recordCount, int total, bool truncated, long elapsedMs);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information,
        Message = "Provider call {QueryId} session {SessionHash} provider {ProviderId} type {ProviderType} block {BlockIndex}: {Outcome}, {RecordCount} records, {ElapsedMs} ms, cached {FromCache}, coalesced {Coalesced} {Error}")]
    private static partial void LogProviderCall(ILogger logger, string queryId, string? sessionHash, string providerId, string providerType,
        int blockIndex, ProviderStatus outcome, int recordCount, long elapsedMs, bool fromCache, bool coalesced, string? error);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Result cache failed for provider {ProviderId}: {Error}")]
    private static partial void LogCacheFailure(ILogger logger, string providerId, string error);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Debug, Message = "Search {QueryId} query {Query}")]
    private static partial void LogQueryPayload(ILogger logger, string queryId, string query);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Search listener {Listener} failed for {QueryId}: {Error}")]
    private static partial void LogListenerFailure(ILogger logger, string listener, string queryId, string error);
}
