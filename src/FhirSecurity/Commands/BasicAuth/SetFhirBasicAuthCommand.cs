using System.Management.Automation;
using System.Net;
using System.Security;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Secrets;

namespace FhirSecurity.Commands;

/// <summary>Changes a Basic Auth definition, for example to rotate its password. Only what is given changes.</summary>
[Cmdlet(VerbsCommon.Set, "FhirBasicAuth", SupportsShouldProcess = true, DefaultParameterSetName = PasswordSet)]
[OutputType(typeof(FhirBasicAuthInfo))]
public sealed class SetFhirBasicAuthCommand : SetDefinitionCommand
{
    private const string PasswordSet = "Password";
    private const string CredentialSet = "Credential";

    /// <summary>A new user name and password together.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
    [Credential]
    public PSCredential Credential { get; set; } = PSCredential.Empty;

    /// <summary>A new user name (the password stays unless -Password is given).</summary>
    [Parameter(ParameterSetName = PasswordSet)]
    [ValidateNotNullOrEmpty]
    public string? UserName { get; set; }

    /// <summary>A new password.</summary>
    [Parameter(ParameterSetName = PasswordSet)]
    public SecureString? Password { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
        => Run(() =>
        {
            string? userName = ParameterSetName == CredentialSet ? Credential.UserName : UserName;
            string? password = ParameterSetName == CredentialSet
                ? Credential.GetNetworkCredential().Password
                : Password is null ? null : new NetworkCredential(string.Empty, Password).Password;
            if (userName is null && password is null)
            {
                WriteWarning($"Nothing to change for Basic Auth definition '{Name}': pass -Password, -UserName or -Credential.");
                return;
            }

            this.UpdateDefinition<BasicAuthDefinition>(DefinitionKind.BasicAuth, Name, current => current with
            {
                UserName = userName ?? current.UserName,
                Password = password is null ? current.Password : new SecretValue(password),
            }, PassThru);
        });
}
