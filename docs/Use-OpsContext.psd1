@{
    Synopsis    = 'Makes a context the active one for this session.'
    Description = @'
Use-OpsContext chooses the context that commands in this PowerShell session use. The choice lasts for the session only. Scheduled scripts choose theirs with the REALESTATEOPS_CONTEXT environment variable instead. An unknown or unreadable context is an error and the session keeps the context it had.
'@
    Parameters  = @{
        Name     = 'The context to use. Also binds from the Name property of piped objects, such as the output of Get-OpsContext.'
        Reset    = 'Forgets this session''s choice, so REALESTATEOPS_CONTEXT or the built-in default applies again.'
        PassThru = 'Returns the context now active.'
    }
    Examples    = @(
        @{
            Title   = 'Work against the sandbox'
            Code    = 'Use-OpsContext sandbox'
            Remarks = 'Works against the local sandbox written by Start-OpsSandbox.'
        }
        @{
            Title   = 'Go back to the environment''s context'
            Code    = '$env:REALESTATEOPS_CONTEXT = ''prod''; Use-OpsContext -Reset'
            Remarks = 'Drops the session''s choice, so the context named by the environment variable applies.'
        }
    )
    Links       = @('Get-OpsContext', 'Set-OpsContext')
}
