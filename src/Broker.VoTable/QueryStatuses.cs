namespace Broker.VoTable;

/// <summary>Values of the DALI/TAP <c>QUERY_STATUS</c> INFO.</summary>
public static class QueryStatuses
{
    /// <summary>The INFO name carrying the status.</summary>
    public const string InfoName = "QUERY_STATUS";

    /// <summary>The query succeeded and the result is complete.</summary>
    public const string Ok = "OK";

    /// <summary>The result was truncated (MAXREC or a service limit).</summary>
    public const string Overflow = "OVERFLOW";

    /// <summary>The query failed.</summary>
    public const string Error = "ERROR";
}
