namespace Broker.Core.Configuration;

/// <summary>One problem in a configuration file, located by file, line and key path.</summary>
public sealed record ConfigError(string File, int Line, string Key, string Message)
{
    public override string ToString() => $"{File}:{Line}: {Key}: {Message}";
}

/// <summary>A configuration file that cannot be used; the message lists every error found.</summary>
public sealed class ConfigException(IReadOnlyList<ConfigError> errors)
    : Exception("The providers file is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
{
    public IReadOnlyList<ConfigError> Errors { get; } = errors;
}

/// <summary>Collects errors while a file is read, so all of them are reported at once.</summary>
public sealed class ConfigErrors
{
    private readonly List<ConfigError> _errors = [];

    public IReadOnlyList<ConfigError> All => _errors;
    public bool Any => _errors.Count > 0;
    public void Add(ConfigError error) => _errors.Add(error);

    /// <summary>Throws a <see cref="ConfigException"/> when any error was collected.</summary>
    public void ThrowIfAny()
    {
        if (_errors.Count > 0) throw new ConfigException(_errors.ToList());
    }
}
