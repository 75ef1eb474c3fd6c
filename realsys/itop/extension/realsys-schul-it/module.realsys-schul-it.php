<?php
// realsys (kennzahl's real-ticket-system harness): a small lifecycle delta for iTop's UserRequest
// (Simple Ticket Management, module itop-request-mgmt), see realsys/itop/README.md.
SetupWebPage::AddModule(
	__FILE__,
	'realsys-schul-it/1.0.0',
	array(
		'label' => 'Schul-IT lifecycle (kennzahl realsys): waiting for vendor, cancel, reopen after close',
		'category' => 'business',
		'dependencies' => array(
			'itop-request-mgmt/3.2.0',
			'itop-profiles-itil/3.2.0',
		),
		'mandatory' => false,
		'visible' => true,
		'datamodel' => array(),
		'webservice' => array(),
		'data.struct' => array(),
		'data.sample' => array(),
		'doc.manual_setup' => '',
		'doc.more_information' => '',
		'settings' => array(),
	)
);
