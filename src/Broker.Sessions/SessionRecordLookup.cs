using Broker.Core.Model;
using Broker.Core.Services;
using Microsoft.Extensions.Logging;

namespace Broker.Sessions;

/// <summary>GetData routing from the session's stored results; while the store is down nothing is found (callers then name providers).</summary>
internal sealed partial class SessionRecordLookup(ISessionStore store, BrokerSessionOptions options, ILogger<SessionRecordLookup> logger) : IRecordLookup
{
    public async Task<IReadOnlyDictionary<string, DataRecord>> FindAsync(
        string sessionId, IReadOnlyCollection<string> fileIds, CancellationToken cancellationToken)
    {
        try
        {
            return await store.FindRecordsAsync(sessionId, fileIds, cancellationToken).ConfigureAwait(false);
        }
        catch (SessionStoreUnavailableException ex)
        {
            LogLookupFailed(logger, SessionId.ForLog(sessionId, options.LogHashKey), ex.Message);
            return new Dictionary<string, DataRecord>();
        }
    }

    [LoggerMessage(EventId = 3021, Level = LogLevel.Warning, Message = "File ids of session {SessionHash} not looked up: {Problem}")]
    private static partial void LogLookupFailed(ILogger logger, string sessionHash, string problem);
}
