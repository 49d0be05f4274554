using Broker.Core.Configuration;

namespace Broker.Server.Credentials;

/// <summary>Reads the value a providers.yaml <see cref="SecretSource"/> points to. Messages name the source, never the value.</summary>
internal static class SecretReader
{
    /// <summary>Largest secret file read (a token of a few kB fits many times).</summary>
    private const int MaxFileBytes = 64 * 1024;

    /// <summary>The value; throws <see cref="InvalidOperationException"/> when it is missing or empty.</summary>
    public static string Read(SecretSource source)
    {
        var value = source.Kind switch
        {
            SecretSourceKind.Environment => Environment.GetEnvironmentVariable(source.Name)
                ?? throw new InvalidOperationException($"the environment variable {source.Name} is not set"),
            SecretSourceKind.File => ReadFile(source.Name),
            _ => source.Name,
        };
        // A file written by `echo` ends with a newline that is not part of the secret.
        value = value.TrimEnd('\r', '\n');
        if (value.Length == 0) throw new InvalidOperationException($"{source} is empty");
        return value;
    }

    private static string ReadFile(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw new InvalidOperationException($"the secret file {path} does not exist");
            if (info.Length > MaxFileBytes) throw new InvalidOperationException($"the secret file {path} is larger than {MaxFileBytes} bytes");
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"the secret file {path} cannot be read: {ex.GetType().Name}", ex);
        }
    }

    /// <summary>Adds an error for every source of a provider's service credential that does not resolve now (start-up and reload).</summary>
    public static void Check(IEnumerable<ProviderConfig> configs, string file, ConfigErrors errors)
    {
        foreach (var config in configs)
        {
            if (config.Auth is not { } auth) continue;
            foreach (var (key, source) in auth.Sources())
            {
                try
                {
                    Read(source);
                }
                catch (InvalidOperationException ex)
                {
                    errors.Add(new ConfigError(file, config.Line, $"providers.{config.Id}.auth.{key}", ex.Message));
                }
            }
        }
    }
}
