@{
    RootModule             = 'KvmTime.dll'
    ModuleVersion          = '0.1.0'
    CompatiblePSEditions   = @('Core')
    GUID                   = '5b0f3c1e-8a4d-4f7e-9a51-2f6c9d7e4b10'
    Author                 = 'KvmTime developers'
    CompanyName            = 'KvmTime'
    Copyright              = '(c) KvmTime developers. MIT License.'
    Description            = 'Inspect and fix time-keeping on KVM guests and hosts (Linux and Windows): clocksources, invariant TSC, C-state limits, guest time sync and clocksource events.'
    PowerShellVersion      = '7.4'
    FormatsToProcess       = @('KvmTime.Format.ps1xml')
    TypesToProcess         = @('KvmTime.Types.ps1xml')
    CmdletsToExport        = @(
        'Get-KvmClocksource'
        'Test-ConstantTsc'
        'New-KvmTimeSession'
        'Get-KvmTimeSession'
        'Remove-KvmTimeSession'
        'Sync-GuestTime'
        'Watch-GuestTime'
        'Get-GuestTimeSync'
        'Set-GuestTimeSync'
        'Get-ClocksourceEvent'
        'Get-KvmDomainClock'
        'Set-KvmDomainClock'
        'Set-GuestClocksource'
        'Get-KernelBootArgument'
        'Set-KernelCStateLimit'
        'Measure-ClocksourceCost'
        'Get-CpuFrequencyPolicy'
        'Set-CpuFrequencyPolicy'
        'Test-KvmTimeHealth'
        'Export-KvmTimeMetric'
    )
    FunctionsToExport      = @()
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('KVM', 'QEMU', 'libvirt', 'clocksource', 'TSC', 'NTP', 'chrony', 'timekeeping', 'Linux', 'Windows', 'PSEdition_Core')
            # The MIT License text; the LICENSE file ships in the package. No ProjectUri yet: the
            # project has no public home, and an invented address would be worse than none.
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ReleaseNotes = @'
0.1.0
- 13 cmdlets for KVM guest and host timekeeping, locally, over SSH and through PSSessions.
- sudo: the password answers only sudo's own prompt, only when it asks (NOPASSWD, cached
  timestamps and !authenticate never receive it).
- SSH: at most 8 channels per connection (stock MaxSessions 10), logins sshd drops under
  MaxStartups are retried, -ConnectTimeout covers connect and banner only, ssh-agent keys,
  encrypted default keys skipped with a warning, known_hosts appended in place.
- Sessions and plain host names bind from the pipeline; -Verbose per host.
- Get-ClocksourceEvent reads dmesg -T/iso stamps, caller IDs, 4.x watchdog blocks, TSC sync
  checks, several boots per file, and never invents dates for saved logs.
- Real boot files, domain XML and w32tm outputs: refused with a specific error, or edited and
  checked by the target's own sh before writing; libvirt <clock> keeps every attribute.
'@
        }
    }
}
