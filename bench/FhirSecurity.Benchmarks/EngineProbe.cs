using System.Reflection;
using System.Runtime.Loader;

namespace FhirSecurity.Benchmarks;

/// <summary>
/// The module's own engine (FhirSecurity.Core in the module's private load context, loaded by Import-Module),
/// driven by reflection for the "engine only" rows: FhirClient.SendAsync over the module's shared handler pool and
/// token cache, without PowerShell. Referencing Core at compile time instead would put a second copy on this
/// process's dependency list, which the module would then bind to.
/// </summary>
internal sealed class EngineProbe
{
    private readonly Assembly _core;
    private readonly object _client;
    private readonly object _request;
    private readonly MethodInfo _send;
    private readonly MethodInfo _read;
    private readonly PropertyInfo _result;
    private readonly PropertyInfo _status;
    private readonly PropertyInfo _resourceType;

    /// <summary>Builds an OAuth connection with a CustomBundle TLS policy and a client for GET <paramref name="patient"/>. Import the module first.</summary>
    public EngineProbe(Uri oauthBase, Uri tokenUrl, string pem, Uri patient)
    {
        _core = AppDomain.CurrentDomain.GetAssemblies().Single(a => a.GetName().Name == "FhirSecurity.Core");
        object oauth = New("FhirSecurity.Core.Definitions.OAuthDefinition",
            ("Name", "engine-oauth"),
            ("TokenUrl", tokenUrl),
            ("ClientId", BenchEnvironment.Client.ClientId),
            ("ClientSecret", Activator.CreateInstance(Type("FhirSecurity.Core.Secrets.SecretValue"), BenchEnvironment.Client.ClientSecret)),
            ("Scopes", new[] { BenchEnvironment.Scope }));
        object customBundle = Enum.Parse(Type("FhirSecurity.Core.Definitions.TlsValidationMode"), "CustomBundle");
        object connection = New("FhirSecurity.Core.Definitions.ConnectionDefinition",
            ("Name", "engine"),
            ("BaseUri", oauthBase),
            ("OAuth", "engine-oauth"),
            ("TlsValidation", customBundle),
            ("CaBundle", "ca"));
        object bundle = Type("FhirSecurity.Core.Tls.CaBundle").GetMethod("Load")!.Invoke(null, [pem, "benchmark"])!;
        ConstructorInfo tlsCtor = Type("FhirSecurity.Core.Http.TransportPolicy").GetConstructors().Single();
        object tls = tlsCtor.Invoke([customBundle, bundle, .. tlsCtor.GetParameters().Skip(2).Select(p => p.DefaultValue)]);
        object resolved = Activator.CreateInstance(Type("FhirSecurity.Core.Fhir.ResolvedConnection"), connection, BenchEnvironment.Vault, null, oauth, tls)!;
        object pool = Type("FhirSecurity.Core.Http.HandlerPool").GetProperty("Shared")!.GetValue(null)!;
        object tokens = Type("FhirSecurity.Core.Auth.TokenCache").GetProperty("Shared")!.GetValue(null)!;
        _client = Activator.CreateInstance(Type("FhirSecurity.Core.Fhir.FhirClient"), resolved, pool, tokens, TimeProvider.System)!;
        _request = Activator.CreateInstance(Type("FhirSecurity.Core.Fhir.FhirRequest"), HttpMethod.Get, patient, null, new Dictionary<string, string>(), TimeSpan.FromSeconds(100))!;
        _send = _client.GetType().GetMethod("SendAsync")!;
        Type response = Type("FhirSecurity.Core.Fhir.FhirResponse");
        _result = typeof(Task<>).MakeGenericType(response).GetProperty("Result")!;
        _status = response.GetProperty("StatusCode")!;
        _read = Type("FhirSecurity.Core.Fhir.FhirPayload").GetMethod("Read")!;
        _resourceType = Type("FhirSecurity.Core.Fhir.FhirResult").GetProperty("ResourceType")!;
    }

    /// <summary>FhirClient.SendAsync: pooled handler, cached token, retry and redirect policy; returns the status.</summary>
    public async Task<int> SendAsync()
        => (int)_status.GetValue(await Send().ConfigureAwait(false))!;

    /// <summary>SendAsync and then FhirPayload.Read (Firely parses the answer), as Invoke-FhirRequest does; returns the resource type.</summary>
    public async Task<string?> SendAndReadAsync()
    {
        object response = await Send().ConfigureAwait(false);
        // Firely finds its model assemblies by name: inside the module's context, as the cmdlets run it.
        using var scope = AssemblyLoadContext.GetLoadContext(_core)!.EnterContextualReflection();
        return (string?)_resourceType.GetValue(_read.Invoke(null, [response]));
    }

    private async Task<object> Send()
    {
        var task = (Task)_send.Invoke(_client, [_request, CancellationToken.None, null])!;
        await task.ConfigureAwait(false);
        return _result.GetValue(task)!;
    }

    private Type Type(string name) => _core.GetType(name, throwOnError: true)!;

    private object New(string type, params (string Name, object? Value)[] properties)
    {
        object instance = Activator.CreateInstance(Type(type))!;
        foreach ((string name, object? value) in properties)
        {
            instance.GetType().GetProperty(name)!.SetValue(instance, value);
        }

        return instance;
    }
}
