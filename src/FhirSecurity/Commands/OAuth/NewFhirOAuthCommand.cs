using System.Collections;
using System.Management.Automation;
using System.Net;
using System.Security;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Secrets;

namespace FhirSecurity.Commands;

/// <summary>Creates an OAuth 2.0 client-credentials definition in a vault.</summary>
[Cmdlet(VerbsCommon.New, "FhirOAuth", SupportsShouldProcess = true)]
[OutputType(typeof(FhirOAuthInfo))]
public sealed class NewFhirOAuthCommand : NewDefinitionCommand
{
    /// <summary>The token endpoint (https://).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    public Uri TokenUrl { get; set; } = null!;

    /// <summary>The client id.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    public string ClientId { get; set; } = string.Empty;

    /// <summary>The client secret.</summary>
    [Parameter(Mandatory = true)]
    public SecureString ClientSecret { get; set; } = null!;

    /// <summary>Scopes to request, e.g. system/Patient.rs.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string[] Scope { get; set; } = [];

    /// <summary>How the client authenticates to the token endpoint. Default: ClientSecretBasic.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public FhirClientAuthentication ClientAuthentication { get; set; } = FhirClientAuthentication.ClientSecretBasic;

    /// <summary>Further token request parameters, e.g. @{ audience = '...' }.</summary>
    [Parameter]
    public Hashtable ExtraParameter { get; set; } = [];

    /// <inheritdoc />
    protected override void ProcessRecord()
        => Run(() =>
        {
            var definition = new OAuthDefinition
            {
                Name = Name,
                TokenUrl = TokenUrl,
                ClientId = ClientId,
                ClientSecret = new SecretValue(new NetworkCredential(string.Empty, ClientSecret).Password),
                ClientAuthentication = Views.ToEngine(ClientAuthentication),
                Scopes = Scope,
                ExtraParameters = OAuthParameters.FromHashtable(ExtraParameter, Name),
            };
            this.CreateDefinition(definition, Force, PassThru);
        });
}
