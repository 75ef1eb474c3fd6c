<?php
Dict::Add('DE DE', 'German', 'Deutsch', array(
	'Class:UserRequest/Attribute:status/Value:waiting_for_vendor' => 'Warten auf Dienstleister',
	'Class:UserRequest/Attribute:status/Value:waiting_for_vendor+' => 'Ein Dienstleister bearbeitet die Anfrage',
	'Class:UserRequest/Stimulus:ev_wait_for_vendor' => 'Auf Dienstleister warten',
	'Class:UserRequest/Stimulus:ev_wait_for_vendor+' => '',
	'Class:UserRequest/Stimulus:ev_cancel' => 'Stornieren',
	'Class:UserRequest/Stimulus:ev_cancel+' => '',
));
