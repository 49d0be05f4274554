namespace Broker.Server.Credentials;

/// <summary>A login or token obtained from a provider: the value, when to renew it, and when it stops working.</summary>
internal sealed record IssuedValue(string Value, DateTimeOffset? RenewAfter = null, DateTimeOffset? ExpiresAt = null);

/// <summary>
/// A value obtained by one request to the provider (a login cookie, an access token) and shared by every request that
/// needs it: at most one fetch runs at a time, concurrent callers wait for it, and a value is fetched again after its
/// <see cref="IssuedValue.RenewAfter"/> (before it expires) or once the provider has refused it. A renewal that fails
/// while the old value has not yet expired keeps the old value.
/// </summary>
internal sealed class SharedRenewal(Func<CancellationToken, Task<IssuedValue>> fetch, TimeProvider time, TimeSpan fetchTimeout)
{
    private readonly Lock _gate = new();
    private IssuedValue? _current;
    private Task<IssuedValue>? _pending;

    /// <summary>How many times the value was fetched (for tests and logs).</summary>
    public int Fetches { get; private set; }

    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        Task<IssuedValue> pending;
        IssuedValue? stillValid;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_current is { } c && (c.RenewAfter is null || now < c.RenewAfter)) return c.Value;
            stillValid = _current is { ExpiresAt: { } expires } v && now < expires ? v : null;
            pending = _pending ??= Task.Run(FetchAndStoreAsync, CancellationToken.None);
        }
        try
        {
            return (await pending.WaitAsync(cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (Exception ex) when (stillValid is not null && ex is not (OperationCanceledException or CredentialRefusedException))
        {
            return stillValid.Value;
        }
    }

    /// <summary>The provider refused <paramref name="applied"/>: forget it unless a newer value has replaced it already.</summary>
    public void Invalidate(object? applied)
    {
        lock (_gate)
        {
            if (_current is not null && ReferenceEquals(_current.Value, applied)) _current = null;
        }
    }

    /// <summary>Takes the current value away (a logout): later callers fetch a new one. Null when there is none.</summary>
    public string? Take()
    {
        lock (_gate)
        {
            var value = _current?.Value;
            _current = null;
            return value;
        }
    }

    private async Task<IssuedValue> FetchAndStoreAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(fetchTimeout, time);
            var value = await fetch(timeout.Token).ConfigureAwait(false);
            lock (_gate)
            {
                _current = value;
                Fetches++;
            }
            return value;
        }
        finally
        {
            lock (_gate) _pending = null;
        }
    }
}

/// <summary>The provider's login or token endpoint refused the credential; the handler turns it into the owner's message.</summary>
internal sealed class CredentialRefusedException(string detail) : Exception(detail);
