using Broker.TapService;
using Microsoft.AspNetCore.Http;

namespace Broker.Simulators.Tap;

/// <summary>The TAP/UWS parameters of a request: query string merged with a urlencoded or multipart body.</summary>
internal static class TapRequestReader
{
    public static async Task<TapParameters> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        var p = new TapParameters();
        p.AddAll(request.Query);
        if (request.HasFormContentType) p.AddAll(await request.ReadFormAsync(ct).ConfigureAwait(false));
        return p;
    }
}
