using Broker.Core.Providers;
using Broker.Core.Validation;

namespace Broker.Core.Search;

/// <summary>
/// Which failures are the provider's (transport errors, timeouts, 5xx, unreadable answers) and which are caused by
/// the caller's input. Only provider faults open a circuit or count as failures in a provider's live state: a
/// caller's bad request must never make a provider look broken to other users.
/// </summary>
public static class ProviderFaults
{
    /// <summary>True when <paramref name="ex"/> says the provider failed, false when the request itself was unusable.</summary>
    public static bool IsProviderFault(Exception ex) => ex switch
    {
        OperationCanceledException => false,
        QueryValidationException or ArgumentException => false,
        ProviderBusyException => false,
        // One caller's wrong or expired credentials say nothing about the provider's health for others.
        ProviderUnauthorizedException => false,
        _ => true,
    };

    /// <summary>
    /// The status a failed call to a provider gives it (GetData, DataLink documents): no answer in time (its timeout,
    /// or the caller's deadline) is a timeout, a call its open circuit refused is circuit-open, refused credentials are
    /// unauthorized, anything else an error.
    /// </summary>
    public static ProviderStatus StatusOf(Exception ex) => ex switch
    {
        ProviderUnauthorizedException => ProviderStatus.Unauthorized,
        Polly.Timeout.TimeoutRejectedException or OperationCanceledException => ProviderStatus.Timeout,
        Polly.CircuitBreaker.BrokenCircuitException => ProviderStatus.CircuitOpen,
        _ => ProviderStatus.Error,
    };
}
