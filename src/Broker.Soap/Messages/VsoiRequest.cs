using Broker.Soap.Contracts;

namespace Broker.Soap.Messages;

/// <summary>The two VSOi operations.</summary>
public enum VsoiOperation { Query, GetData }

/// <summary>
/// A parsed VSOi request. Exactly one of <see cref="Query"/> and <see cref="GetData"/> is set, by
/// <see cref="Operation"/>. <see cref="EncodedModel"/> marks IDL's older GetData shape
/// (<c>request/request/data</c>), which is answered in the same old shape.
/// </summary>
public sealed record VsoiRequest(VsoiOperation Operation, QueryRequest? Query, VSOGetDataRequest? GetData, bool EncodedModel)
{
    /// <summary>The <c>info/required</c> value (a session id echoed by IDL and newer sunpy), when sent.</summary>
    public string? InfoRequired => GetData?.Request.Info?.Required;
}
