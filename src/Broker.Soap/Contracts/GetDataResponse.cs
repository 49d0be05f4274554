namespace Broker.Soap.Contracts;

/// <summary>VSOi VSOGetDataResponse: one item per provider asked.</summary>
public sealed record VSOGetDataResponse(IReadOnlyList<GetDataResponseItem> Items);

/// <summary>VSOi GetDataResponseItem. sunpy 4.1.2 reads <c>status[0:3]</c>: "200…" means download the data items.</summary>
public sealed record GetDataResponseItem
{
    public string Version { get; init; } = "1";
    /// <summary>The <c>info/infoitem</c> strings.</summary>
    public IReadOnlyList<string> Info { get; init; } = [];
    public string? Provider { get; init; }
    public string? Status { get; init; }
    public string? Debug { get; init; }
    public string? Details { get; init; }
    /// <summary>The files found; always written when the status starts with 200.</summary>
    public GetDataItem? GetDataItem { get; init; }
    /// <summary>The method used; always written (sunpy reads methodtype[0]).</summary>
    public MethodItem? Method { get; init; }
}

/// <summary>VSOi GetDataItem: the data items.</summary>
public sealed record GetDataItem(IReadOnlyList<DataItem> Items);

/// <summary>VSOi DataItem: where the given file ids can be fetched (file ids spelled as requested).</summary>
public sealed record DataItem(string Provider, string? Url, IReadOnlyList<string> FileIds);
