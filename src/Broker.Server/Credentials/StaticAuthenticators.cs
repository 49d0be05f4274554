using System.Net.Http.Headers;
using System.Text;

namespace Broker.Server.Credentials;

/// <summary>HTTP Basic with a username and password read when needed (a service secret re-read after a refusal picks up a rotation).</summary>
internal sealed class BasicAuthenticator(Func<(string Username, string Password)> read) : RequestAuthenticator
{
    private string? _header;

    public override ValueTask<object?> ApplyAsync(HttpRequestMessage request, SendRaw send, CancellationToken cancellationToken)
    {
        var header = _header ??= Encode(read());
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", header);
        return ValueTask.FromResult<object?>(header);
    }

    public override ValueTask<bool> RenewAsync(object? applied, CancellationToken cancellationToken)
    {
        var fresh = Encode(read());
        var changed = !string.Equals(fresh, applied as string, StringComparison.Ordinal);
        _header = fresh;
        return ValueTask.FromResult(changed);
    }

    private static string Encode((string Username, string Password) c) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(c.Username + ":" + c.Password));
}

/// <summary>A static bearer token (re-read after a refusal, like <see cref="BasicAuthenticator"/>).</summary>
internal sealed class BearerAuthenticator(Func<string> read) : RequestAuthenticator
{
    private string? _token;

    public override ValueTask<object?> ApplyAsync(HttpRequestMessage request, SendRaw send, CancellationToken cancellationToken)
    {
        var token = _token ??= read();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return ValueTask.FromResult<object?>(token);
    }

    public override ValueTask<bool> RenewAsync(object? applied, CancellationToken cancellationToken)
    {
        var fresh = read();
        var changed = !string.Equals(fresh, applied as string, StringComparison.Ordinal);
        _token = fresh;
        return ValueTask.FromResult(changed);
    }
}
