using Broker.Core.Configuration;
using Broker.Core.Search;

namespace Broker.Server.Hosting;

/// <summary>Reads providers.yaml and builds the registry with the registered factories; all errors are reported together.</summary>
public sealed class ProvidersLoader(IEnumerable<IProviderFactory> factories, ProviderFactoryContext context)
{
    /// <summary>The configuration key of the providers file (also <c>--providers PATH</c>).</summary>
    public const string FileKey = "Providers:File";

    /// <summary>
    /// Loads the file; every problem, whatever threw it (a missing or unreadable file included), is a
    /// <see cref="ConfigException"/> with file:line errors, so neither start-up nor a reload meets anything else.
    /// </summary>
    public (IReadOnlyList<ProviderConfig> Configs, ProviderRegistry Registry) Load(string path, ProviderRegistry? previous = null)
    {
        try
        {
            if (!File.Exists(path))
                throw new ConfigException([new ConfigError(path, 0, "(file)", "the providers file does not exist")]);
            var errors = new ConfigErrors();
            var configs = ProvidersFile.Read(File.ReadAllText(path), path, errors);
            Credentials.SecretReader.Check(configs, path, errors);
            var reuse = previous?.All.ToDictionary(p => p.Id, StringComparer.OrdinalIgnoreCase);
            var registry = ProviderRegistry.Build(configs, factories, context, reuse);
            errors.ThrowIfAny();
            return (configs, registry);
        }
        catch (Exception ex) when (ex is not ConfigException)
        {
            throw new ConfigException([new ConfigError(path, 0, "(file)", ex.Message)]);
        }
    }
}
