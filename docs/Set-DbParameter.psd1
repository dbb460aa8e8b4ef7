@{
    Synopsis    = 'Changes a parameter of the DB instance''s custom parameter group (ModifyDBParameterGroup), e.g. raises max_connections.'
    Description = @'
Set-DbParameter is the "connection limit: raise max_connections" resolution of the Database Connection Issues runbook. It changes one parameter in the instance's parameter group (the context's DbInstanceId by default) or in -ParameterGroupName, after checks that change nothing: AWS's default groups (default.postgres15, ...) cannot be modified, so the change is refused with DbParameterGroupIsDefault and what to do instead (create a custom group of the same family, attach it to the instance, set the parameter there); an unknown parameter is DbParameterNotFound, one RDS does not let you modify DbParameterNotModifiable, a value that is not an integer or outside the allowed range DbParameterValueInvalid.

Static parameters (max_connections, shared_buffers, ...) take effect only after a reboot: they are set with the apply method pending-reboot (the default for them; -ApplyMethod immediate is refused with DbParameterRequiresReboot). The result says the old and new value and whether the instance now waits for a reboot (its ParameterApplyStatus is pending-reboot), with a warning naming Restart-DbInstance. The change is journaled; -WhatIf makes no change request.
'@
    Parameters  = @{
        Name = 'The parameter to change, e.g. max_connections.'
        Value = 'The new value, as RDS takes it (a number for integer parameters).'
        ApplyMethod = 'immediate (dynamic parameters) or pending-reboot (static parameters). The default is what the parameter allows: pending-reboot for static ones, immediate for dynamic ones.'
        ParameterGroupName = 'The parameter group to change. Defaults to the instance''s group.'
        DbInstanceId = 'The instance whose group is changed (when no -ParameterGroupName is given) and whose apply status the result reports. Defaults to the context''s DbInstanceId.'
        Region = 'The AWS region. Defaults to the context''s Region, then AWS_REGION/AWS_DEFAULT_REGION, then the profile''s region. -Verbose says which was used.'
        ProfileName = 'The AWS profile (shared config/credentials files; SSO, assume-role and web identity profiles work). Defaults to the context''s ProfileName, then AWS_PROFILE, then the SDK''s default credential chain.'
        EndpointUrl = 'An endpoint URL that replaces AWS''s own (the sandbox, a VPC endpoint). Defaults to the context''s endpoint for the service, then AWS_ENDPOINT_URL_<SERVICE>/AWS_ENDPOINT_URL.'
        AllowInsecureEndpoint = 'Accepts an endpoint override on plain http:// to a host that is not this machine (for this command only). Without it such an endpoint is refused (EndpointInsecure): signed requests and their data would cross the network unencrypted. Plain http to localhost, 127.0.0.0/8 and ::1 needs no switch.'
    }
    Examples    = @(
        @{
            Title   = 'Raise the connection limit, to apply at the next reboot'
            Code    = 'Set-DbParameter -Name max_connections -Value 300 -ApplyMethod pending-reboot'
            Remarks = 'Sets max_connections to 300 in the instance''s custom group; the result says a reboot is pending (Restart-DbInstance applies it).'
        }
        @{
            Title   = 'Log slow statements from now on'
            Code    = 'Set-DbParameter log_min_duration_statement 500'
            Remarks = 'A dynamic parameter, applied immediately.'
        }
    )
    Links       = @('Get-DbParameter', 'Restart-DbInstance', 'Get-DbActivity')
}
