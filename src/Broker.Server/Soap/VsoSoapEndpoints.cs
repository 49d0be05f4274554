using Broker.Soap;
using Broker.Soap.Wsdl;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;

namespace Broker.Server.Soap;

/// <summary>
/// The VSOi SOAP door: the WSDL, the rpc/literal endpoint (sunpy/zeep) and the IDL/SSW tab-delimited endpoint,
/// each also under the legacy <c>/cgi-bin/</c> names.
/// </summary>
public static class VsoSoapEndpoints
{
    /// <summary>Path of the WSDL.</summary>
    public const string WsdlPath = "/soap/VSOi_rpc_literal.wsdl";
    /// <summary>Path of the rpc/literal endpoint (the WSDL's soap:address).</summary>
    public const string EndpointPath = "/soap/vsoi";
    /// <summary>Path of the IDL/SSW tab-delimited endpoint.</summary>
    public const string TabdelimPath = "/soap/vsoi_tabdelim";
    /// <summary>Configuration key of the public base URL written into soap:address (e.g. https://vso.example.org).</summary>
    public const string PublicBaseUrlKey = "Broker:PublicBaseUrl";

    /// <summary>Maps GET WSDL, POST Query/GetData and the IDL door; GET on a SOAP endpoint answers 411 like the real CGI.</summary>
    public static IEndpointRouteBuilder MapVsoSoap(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").WithTags("VSOi SOAP").ExcludeFromDescription();
        group.MapGet(WsdlPath, WriteWsdlAsync);
        foreach (var path in new[] { EndpointPath, "/cgi-bin/vsoi" })
        {
            group.MapPost(path, (HttpContext http) => VsoSoapHandler.HandleAsync(http, tabdelim: false));
            group.MapGet(path, (HttpContext http) => http.Request.Query.ContainsKey("wsdl") ? WriteWsdlAsync(http) : LengthRequiredAsync(http));
        }
        foreach (var path in new[] { TabdelimPath, "/cgi-bin/vsoi_tabdelim" })
        {
            group.MapPost(path, (HttpContext http) => VsoSoapHandler.HandleAsync(http, tabdelim: true));
            group.MapGet(path, LengthRequiredAsync);
        }
        return app;
    }

    /// <summary>The soap:address: the configured public base URL, else the caller's own scheme and host.</summary>
    public static Uri SoapAddress(HttpContext http) => new(PublicBaseUrl(http) + EndpointPath);

    /// <summary>The broker's public base URL without a trailing slash: the configured one, else the caller's own scheme and host.</summary>
    public static string PublicBaseUrl(HttpContext http)
    {
        var configured = http.RequestServices.GetService(typeof(IConfiguration)) is IConfiguration c ? c[PublicBaseUrlKey] : null;
        return !string.IsNullOrWhiteSpace(configured)
            ? configured.TrimEnd('/')
            : $"{http.Request.Scheme}://{http.Request.Host.Value}{http.Request.PathBase.Value}".TrimEnd('/');
    }

    private static async Task WriteWsdlAsync(HttpContext http)
    {
        var bytes = WsdlWriter.Write(SoapAddress(http));
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = VsoiNames.ContentType;
        http.Response.ContentLength = bytes.Length;
        await http.Response.Body.WriteAsync(bytes, http.RequestAborted);
    }

    private static Task LengthRequiredAsync(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status411LengthRequired;
        http.Response.ContentType = "text/plain; charset=utf-8";
        return http.Response.WriteAsync($"POST a SOAP 1.1 envelope here; the WSDL is at {WsdlPath}\n", http.RequestAborted);
    }
}
