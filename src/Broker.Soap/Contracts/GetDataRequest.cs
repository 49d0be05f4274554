namespace Broker.Soap.Contracts;

/// <summary>VSOi VSOGetDataRequest (also the target of IDL's older encoded GetData model).</summary>
public sealed record VSOGetDataRequest(GetDataRequest Request, string? Version = null);

/// <summary>VSOi GetDataRequest: acceptable methods, caller info and the file ids per provider.</summary>
public sealed record GetDataRequest(MethodItem? Method, Info? Info, DataContainer? DataContainer);

/// <summary>VSOi MethodItem: transfer methods in order of preference (URL-FILE, URL ...).</summary>
public sealed record MethodItem(IReadOnlyList<string> MethodTypes);

/// <summary>VSOi Info: who asks; <see cref="Required"/> carries a session id (IDL since 2023, newer sunpy).</summary>
public sealed record Info
{
    public string? Email { get; init; }
    public string? Host { get; init; }
    public string? User { get; init; }
    public string? Directory { get; init; }
    public string? Password { get; init; }
    public string? Address { get; init; }
    public string? Required { get; init; }
    public string? Site { get; init; }
}

/// <summary>VSOi DataContainer: the data request items.</summary>
public sealed record DataContainer(IReadOnlyList<DataRequestItem> Items);

/// <summary>VSOi DataRequestItem: one provider and its file ids (fileiditem/fileid).</summary>
public sealed record DataRequestItem(string Provider, IReadOnlyList<string> FileIds);
