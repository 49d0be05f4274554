using Broker.Server.Soap;
using Microsoft.OpenApi;

namespace Broker.Server.OpenApi;

/// <summary>
/// The VSOi SOAP doors in the OpenAPI document. They are XML (SOAP 1.1 rpc/literal, described fully by the WSDL), so
/// their endpoints stay out of the generator and are listed here with their media types and status codes.
/// </summary>
internal static class SoapDoors
{
    private const string Xml = "text/xml";
    private const string Tag = "VSOi SOAP";

    public static void AddTo(OpenApiDocument document)
    {
        document.Paths ??= [];
        document.Paths[VsoSoapEndpoints.WsdlPath] = new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Get] = Operation("soapWsdl", "The VSOi WSDL (rpc/literal, port nsoVSOi) that SunPy's VSOClient and zeep load",
                    null, new() { ["200"] = XmlResponse("The WSDL; soap:address is Broker:PublicBaseUrl or the caller's own scheme and host.") }),
            },
        };
        document.Paths[VsoSoapEndpoints.EndpointPath] = new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Post] = Operation("soapVsoi", "VSOi Query and GetData (SOAP 1.1 envelope; session in info/required or the VSO-Session header)",
                    "A SOAP 1.1 envelope with a Query or GetData request as the WSDL describes it.", SoapResponses()),
            },
        };
        document.Paths[VsoSoapEndpoints.TabdelimPath] = new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Post] = Operation("soapVsoiTabdelim", "The IDL/SSW door (vso_search/vso_get): VSOi Query answered as a tab-delimited FlatTable",
                    "A SOAP 1.1 envelope with a Query or GetData request.", SoapResponses()),
            },
        };
    }

    private static OpenApiResponses SoapResponses() => new()
    {
        ["200"] = XmlResponse("The answer envelope (a provider's failure is a VSO error item in it, never an empty answer)."),
        ["400"] = new OpenApiResponse
        {
            Description = "The Content-Type is not XML (text/plain message).",
            Content = new Dictionary<string, OpenApiMediaType> { ["text/plain"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } } },
        },
        ["429"] = new OpenApiResponse
        {
            Description = "Too many requests from this session (problem+json; Retry-After says when).",
            Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() },
        },
        ["500"] = XmlResponse("A SOAP Fault: the envelope is malformed or too large (DTDs are refused) or the query is not valid; faultstring says what to change."),
    };

    private static OpenApiOperation Operation(string id, string summary, string? body, OpenApiResponses responses) => new()
    {
        OperationId = id,
        Summary = summary,
        Tags = new HashSet<OpenApiTagReference> { new(Tag) },
        RequestBody = body is null ? null : new OpenApiRequestBody
        {
            Required = true, Description = body,
            Content = new Dictionary<string, OpenApiMediaType> { [Xml] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } } },
        },
        Responses = responses,
    };

    private static OpenApiResponse XmlResponse(string description) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { [Xml] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } } },
    };
}
