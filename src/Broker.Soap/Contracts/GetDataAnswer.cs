namespace Broker.Soap.Contracts;

/// <summary>
/// The broker's GetData result before it is put on the wire: per provider, which file ids got a URL and why
/// the others did not. Written as a <see cref="VSOGetDataResponse"/> (zeep) or in IDL's older encoded shape.
/// </summary>
public sealed record GetDataAnswer(IReadOnlyList<ProviderFileAnswer> Providers)
{
    /// <summary>The VSOi response: one getdataresponseitem per provider, one dataitem per file with a URL.</summary>
    public VSOGetDataResponse ToResponse(IReadOnlyList<string>? info = null) => new(Providers.Select(p => new GetDataResponseItem
    {
        Provider = p.Provider,
        Status = p.Status,
        Details = p.Details,
        Info = info ?? [],
        // sunpy reads status[0:3] and, on 200, walks getdataitem: it must be present then, even when empty.
        GetDataItem = p.Files.Any(f => f.Url is not null) || p.Status.StartsWith("200", StringComparison.Ordinal)
            ? new GetDataItem(p.Files.Where(f => f.Url is not null).Select(f => new DataItem(p.Provider, f.Url, [f.FileId])).ToList())
            : null,
        Method = new MethodItem([p.MethodType]),
    }).ToList());
}

/// <summary>One provider's part of a GetData answer.</summary>
/// <param name="Status">"200" when at least one URL was found; otherwise a code and words ("404 …", "504 …").</param>
/// <param name="MethodType">The transfer method used (sunpy downloads only when it starts with URL).</param>
public sealed record ProviderFileAnswer(string Provider, string Status, string? Details, string MethodType, IReadOnlyList<FileAnswer> Files);

/// <summary>One file id (spelled as requested) with its URL, or the reason it has none.</summary>
public sealed record FileAnswer(string FileId, string? Url, string? Detail = null);
